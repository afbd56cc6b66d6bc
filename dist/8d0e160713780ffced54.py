# The launcher moto_server runs under (src/emulator/moto.ts starts it with moto_server's own interpreter:
# python3 -c <this file> <moto_server> <args>). It changes what the emulator does before moto starts, so
# that what we test against behaves as S3 does where moto 5.2.5 does not, and copies less on the way.
# Every change is tested in test/integration/emulator-checksums.test.ts, emulator-conditional-write and
# multipart-parallel; why each one matters is in docs/restore.md and docs/benchmarks.md (issue 24.2).
import base64, ctypes, hashlib, runpy, signal, sys, tempfile, threading, zlib

# On Linux, the kernel sends moto SIGTERM when its parent dies (prctl PR_SET_PDEATHSIG), so a CLI or test
# run that is killed never leaves an emulator behind.
if sys.platform.startswith('linux'): ctypes.CDLL(None).prctl(1, signal.SIGTERM)
from awscrt import checksums
from moto.s3.exceptions import S3ClientError
from moto.s3.responses import S3Response

# S3 lets exactly one of several concurrent `If-None-Match: *` writes of one key succeed. moto checks and
# then stores in two steps on a threaded server, so two racing writers could both succeed. Writes of the
# same key (PutObject, CompleteMultipartUpload) are serialised by a lock striped by bucket and key.
locks = [threading.Lock() for _ in range(64)]
def lock_for(bucket, key): return locks[zlib.crc32(f"{bucket}/{key}".encode()) % len(locks)]

# Declared checksums are checked, as S3 does (moto stores them unchecked): a PutObject or UploadPart whose
# x-amz-checksum-* header, or aws-chunked trailer, does not match the bytes received answers 400 BadDigest.
# CRCs by awscrt (pinned in requirements-emulator.txt): (function, bytes, combine), SHAs by hashlib.
CRCS = {'crc64nvme': (checksums.crc64nvme, 8, checksums.combine_crc64nvme), 'crc32': (checksums.crc32, 4, checksums.combine_crc32), 'crc32c': (checksums.crc32c, 4, checksums.combine_crc32c)}
SHAS = {'sha1': hashlib.sha1, 'sha256': hashlib.sha256}
def b64crc(alg, value): return base64.b64encode(value.to_bytes(CRCS[alg][1], 'big')).decode()
def digest(alg, data):
    if alg in SHAS: return base64.b64encode(SHAS[alg](data).digest()).decode()
    return b64crc(alg, CRCS[alg][0](data))
class BadDigest(S3ClientError):
    def __init__(self): super().__init__('BadDigest', 'The Content-MD5 or checksum value that you specified did not match what the server received.')
def declared(self):
    trailer = (self.headers.get('x-amz-trailer') or '').strip().lower()
    for alg in (*CRCS, *SHAS):
        name = 'x-amz-checksum-' + alg
        value = self.headers.get(name)
        if not value and trailer == name and isinstance(self.raw_body, bytes):
            at = self.raw_body.rfind(name.encode() + b':')
            if at >= 0: value = self.raw_body[at + len(name) + 1:].split(b'\r\n')[0].strip().decode()
        if value: yield alg, value
def verify_body(self):
    body = self.body or b''
    body = body.encode() if isinstance(body, str) else body
    for alg, value in declared(self):
        if digest(alg, body) != value: raise BadDigest()

# A request body is read from the socket in one read of its Content-Length (werkzeug's LimitedStream.readall
# reads 64 KiB at a time into a growing buffer and copies it again).
from werkzeug.wsgi import LimitedStream
readall = LimitedStream.readall
def readall_at_once(self):
    remaining = self.limit - self._pos
    if self._limit_is_max or remaining <= 0: return readall(self)
    try: data = self._stream.read(remaining)
    except (OSError, ValueError) as error: return self.on_disconnect(error=error) or b''
    self._pos += len(data)
    return data if len(data) == remaining else data + readall(self)
LimitedStream.readall = readall_at_once
import moto.s3.models as s3models
from moto.s3.exceptions import EntityTooSmall, InvalidPart, MalformedXML

# A completed multipart object keeps its parts' stored files and reads them one after another: nothing is
# copied at completion (moto's own FakeMultipart.complete read every part twice and copied the whole object
# about six times). A later write to the key gives it a file of its own again.
class Parts:
    def __init__(self, files, sizes): self.files, self.sizes, self.size, self.pos = files, sizes, sum(sizes), 0
    def __len__(self): return self.size
    def seek(self, offset, whence=0):
        self.pos = max(0, offset + (0, self.pos, self.size)[whence])
        return self.pos
    def tell(self): return self.pos
    def flush(self): pass
    def read(self, size=-1):
        left = self.size - self.pos if size is None or size < 0 else min(size, self.size - self.pos)
        out, start = bytearray(), 0
        for file, length in zip(self.files, self.sizes):
            if left > 0 and start <= self.pos < start + length:
                file.seek(self.pos - start)
                chunk = file.read(min(left, start + length - self.pos))
                out += chunk
                self.pos, left = self.pos + len(chunk), left - len(chunk)
            start += length
        return bytes(out)
    def close(self):
        for file in self.files: file.close()
def take_parts(parts):
    files = []
    for part in parts:
        with part.lock: files.append(part._value_buffer); part._value_buffer = tempfile.SpooledTemporaryFile(1)
    return Parts(files, [part.contentsize for part in parts])
stored_value = s3models.FakeKey.value
def store_value(self, value):
    if isinstance(self._value_buffer, Parts):
        self._value_buffer.close()
        self._value_buffer = tempfile.SpooledTemporaryFile(self._max_buffer_size)
    if isinstance(value, Parts):
        self._value_buffer.close()
        self._value_buffer, self.contentsize = value, value.size
        return
    # A value larger than moto's in-memory limit (MOTO_S3_DEFAULT_KEY_BUFFER_SIZE) goes straight to its file.
    if not isinstance(value, str) and len(value) > self._max_buffer_size: self._value_buffer.rollover()
    stored_value.fset(self, value)
s3models.FakeKey.value = stored_value.setter(store_value)

# A part's MD5 ETag and CRC64NVME are computed from the body in memory when it is stored, not by reading its
# file back; a part's CRC32/CRC32C is read from its bytes when a completion first needs it.
set_part = s3models.FakeMultipart.set_part
def set_part_hashed(self, part_id, value):
    key = set_part(self, part_id, value)
    key._etag = s3models.md5_hash(value).hexdigest()
    key.crcs = {'crc64nvme': checksums.crc64nvme(value)}
    return key
s3models.FakeMultipart.set_part = set_part_hashed
def part_crc(part, alg):
    crcs = part.__dict__.setdefault('crcs', {})
    if alg not in crcs: crcs[alg] = CRCS[alg][0](part.value)
    return crcs[alg]

# CompleteMultipartUpload: as S3 does, the full-object CRCs (the one the client declared, CRC64NVME always
# and CRC32/CRC32C with ChecksumType FULL_OBJECT, and the one moto stores) are composed from the parts' CRCs;
# a declared one that does not match answers 400 BadDigest and the upload stays open. The ETags, the stored
# checksum and moto's errors (InvalidPart, EntityTooSmall, MalformedXML) are moto's.
declared_crcs = threading.local()
def complete(self, body):
    builder = s3models.MultipartChecksumBuilder(self.metadata.get('x-amz-checksum-algorithm'), self.metadata.get('x-amz-checksum-type'))
    own = builder.checksum_algorithm.lower() if builder.checksum_type == 'FULL_OBJECT' and builder.checksum_algorithm.lower() in CRCS else None
    wanted = dict(getattr(declared_crcs, 'value', {}))
    crcs = {alg: None for alg in {*wanted, *([own] if own else [])}}
    parts, md5s = [], bytearray()
    for number, etag in body:
        part = self.parts.get(number)
        if part is None or part.etag.replace('"', '') != etag.replace('"', ''): raise InvalidPart()
        if parts and parts[-1].contentsize < s3models.S3_UPLOAD_PART_MIN_SIZE: raise EntityTooSmall()
        md5s.extend(bytes.fromhex(part.etag.replace('"', '')))
        for alg, crc in crcs.items():
            value = part_crc(part, alg)
            crcs[alg] = value if crc is None else CRCS[alg][2](crc, value, part.contentsize)
        if not own: builder.addPart(part.value)
        parts.append(part)
    if not parts: raise MalformedXML
    if any(b64crc(alg, crcs[alg]) != v for alg, v in wanted.items()): raise BadDigest()
    etag = f"{s3models.md5_hash(bytes(md5s)).hexdigest()}-{len(parts)}"
    return take_parts(parts), etag, (builder.checksum_type, b64crc(own, crcs[own]), 1) if own else builder.build()
s3models.FakeMultipart.complete = complete

# The request handlers: check the body, then take the key's lock around moto's own handler.
put_object = S3Response.put_object
def checked_put(self):
    verify_body(self)
    with lock_for(self.bucket_name, self.parse_key_name()): return put_object(self)
upload_part = S3Response.upload_part
def checked_part(self):
    verify_body(self)
    return upload_part(self)
key_post = S3Response._key_response_post
def checked_post(self, request, body, bucket_name, query, key_name):
    full = (self.headers.get('x-amz-checksum-type') or '').upper() == 'FULL_OBJECT'
    found = ((alg, self.headers.get('x-amz-checksum-' + alg)) for alg in CRCS)
    declared_crcs.value = {alg: v for alg, v in found if v and (full or alg == 'crc64nvme')}
    try:
        with lock_for(bucket_name, key_name): return key_post(self, request, body, bucket_name, query, key_name)
    finally: declared_crcs.value = {}
S3Response.put_object = checked_put
S3Response.upload_part = checked_part
S3Response._key_response_post = checked_post

sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
