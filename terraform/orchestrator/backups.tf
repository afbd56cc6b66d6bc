# Pruning a versioned backup bucket frees nothing by itself: prune's DeleteObjects only adds delete
# markers and keeps every byte as noncurrent versions. This rule on the backup bucket the DR side reads
# (backup_bucket: the replica in this region) expires those noncurrent versions after
# backup_noncurrent_version_days, removes the delete markers left with no version behind them, and aborts
# stale multipart uploads. The replica receives prune's deletions as delete markers when the primary's
# replication rule has delete marker replication enabled (docs/runbook.md, "Cross-region DR"); the
# primary bucket needs the same lifecycle rule (it is not managed here).
# A bucket has one lifecycle configuration: this resource owns all of it. With other rules on the bucket,
# set manage_backup_lifecycle = false and add this rule to yours.
resource "aws_s3_bucket_lifecycle_configuration" "backups" {
  count  = var.manage_backup_lifecycle ? 1 : 0
  bucket = var.backup_bucket

  rule {
    id     = "standby-expire-pruned-backups"
    status = "Enabled"

    filter {
      prefix = "${local.backup_root}backups/"
    }

    noncurrent_version_expiration {
      noncurrent_days = var.backup_noncurrent_version_days
    }

    expiration {
      expired_object_delete_marker = true
    }
  }

  # Whole bucket: an upload that never completed is never a usable object anywhere.
  rule {
    id     = "abort-stale-multipart-uploads"
    status = "Enabled"
    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}
