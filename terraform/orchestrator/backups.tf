# Pruning a versioned backup bucket frees nothing by itself: prune's DeleteObjects only adds delete
# markers and keeps every byte as noncurrent versions. This rule on the backup bucket the DR side reads
# (backup_bucket: the replica in this region) expires those noncurrent versions after
# backup_noncurrent_version_days, removes the delete markers left with no version behind them, and aborts
# stale multipart uploads. The replica receives prune's deletions as delete markers when the primary's
# replication rule has delete marker replication enabled (docs/runbook.md, "Cross-region DR"); the
# primary bucket needs the same lifecycle rule (it is not managed here).
# A bucket has one lifecycle configuration: this resource owns all of it. With other rules on the bucket,
# set manage_backup_lifecycle = false and add this rule to yours.
# The single-publisher form (no `targets`, targets.tf); the resource keeps its address and rule id.
resource "aws_s3_bucket_lifecycle_configuration" "backups" {
  count  = var.manage_backup_lifecycle && local.legacy_targets ? 1 : 0
  bucket = var.backup_bucket

  rule {
    id     = "standby-expire-pruned-backups"
    status = "Enabled"

    filter {
      prefix = "${local.target_backup_roots["default"]}backups/"
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

# With `targets`: one configuration per backup bucket, one expiry rule per target whose backups live in
# it (its backups prefix; no two targets share one, variables.tf), and the same multipart rule.
resource "aws_s3_bucket_lifecycle_configuration" "target_backups" {
  for_each = var.manage_backup_lifecycle && !local.legacy_targets ? toset([for target in values(local.targets) : target.backup_bucket]) : toset([])
  bucket   = each.value

  dynamic "rule" {
    for_each = { for name, target in local.targets : name => local.target_backup_roots[name] if target.backup_bucket == each.value }
    content {
      id     = "standby-expire-pruned-backups-${rule.key}"
      status = "Enabled"

      filter {
        prefix = "${rule.value}backups/"
      }

      noncurrent_version_expiration {
        noncurrent_days = var.backup_noncurrent_version_days
      }

      expiration {
        expired_object_delete_marker = true
      }
    }
  }

  rule {
    id     = "abort-stale-multipart-uploads"
    status = "Enabled"
    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}
