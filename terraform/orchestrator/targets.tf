# The targets this deployment protects (SPEC §2, "Targets"): one publisher each, with its own backups
# prefix, namespace, state claim and kind. `targets` declares them; without it the deployment has one
# target named `default` built from the single-publisher variables (publish_bucket, publish_providers,
# backup_bucket, ...), exactly what those variables meant before targets existed, so an existing
# deployment keeps its alarm names, metric series and repository variables.
locals {
  legacy_targets = length(var.targets) == 0

  # Every target in one shape. The single publisher's alarms keep their pre-targets names (alarm_suffix
  # ""): no rename, no gap in their history. A declared target's default dimensions carry Target=<name>,
  # which keeps two targets' series apart even when they share a publisher.
  # Every target in one shape. tomap() on both sides: a conditional needs one type, and the two literals
  # are objects with different attribute names until they are maps of the same element type.
  targets = local.legacy_targets ? tomap({
    default = {
      publish_bucket       = var.publish_bucket
      publish_prefix       = var.publish_prefix
      providers            = var.publish_providers == null ? [] : var.publish_providers
      expected_marker_file = var.expected_marker_file
      backup_bucket        = var.backup_bucket
      backup_prefix        = var.backup_prefix
      namespace            = null
      state_claim          = null
      target_kind          = "k3s"
      metric_dimensions    = local.metric_dimensions
      alarm_suffix         = ""
      storage_class        = "gp3"
      loader_image         = null
    }
    }) : tomap({
    for name, target in var.targets : name => {
      publish_bucket       = target.publish_bucket
      publish_prefix       = target.publish_prefix
      providers            = [for pair in target.providers : "${pair.provider}/${pair.profile}"]
      expected_marker_file = target.expected_marker_file == null ? var.expected_marker_file : target.expected_marker_file
      backup_bucket        = target.backup_bucket
      backup_prefix        = target.backup_prefix
      namespace            = target.namespace
      state_claim          = target.state_claim
      target_kind          = target.target_kind
      metric_dimensions    = target.metric_dimensions == null ? { Pipeline = trimsuffix("${target.publish_bucket}/${target.publish_prefix}", "/"), Target = name } : target.metric_dimensions
      alarm_suffix         = "-${name}"
      storage_class        = target.storage_class
      loader_image         = target.loader_image
    }
  })

  # Key roots (empty prefix = bucket root), per target.
  target_publish_roots = { for name, target in local.targets : name => target.publish_prefix == "" ? "" : "${target.publish_prefix}/" }
  target_backup_roots  = { for name, target in local.targets : name => target.backup_prefix == "" ? "" : "${target.backup_prefix}/" }

  # What the roles may read, over every target (roles*.tf). One statement per access with every target's
  # resources: a listing statement names each target's prefixes on each target's bucket, so with targets
  # sharing a bucket a role may list one target's prefixes there under another's; objects stay per target.
  target_publish_bucket_arns = distinct([for target in values(local.targets) : "arn:${local.partition}:s3:::${target.publish_bucket}"])
  target_backup_bucket_arns  = distinct([for target in values(local.targets) : "arn:${local.partition}:s3:::${target.backup_bucket}"])
  target_publish_objects = {
    state        = [for name, target in local.targets : "arn:${local.partition}:s3:::${target.publish_bucket}/${local.target_publish_roots[name]}state/*"]
    state_latest = flatten([for name, target in local.targets : ["arn:${local.partition}:s3:::${target.publish_bucket}/${local.target_publish_roots[name]}state/*", "arn:${local.partition}:s3:::${target.publish_bucket}/${local.target_publish_roots[name]}latest/*"]])
  }
  target_publish_list_prefixes = {
    state_runs        = distinct(flatten([for root in values(local.target_publish_roots) : ["${root}state/*", "${root}runs/*"]]))
    state_latest_runs = distinct(flatten([for root in values(local.target_publish_roots) : ["${root}state/*", "${root}latest/*", "${root}runs/*"]]))
  }
  target_backup_objects = {
    metadata              = [for name, target in local.targets : "arn:${local.partition}:s3:::${target.backup_bucket}/${local.target_backup_roots[name]}backups/*/metadata.json"]
    backups               = [for name, target in local.targets : "arn:${local.partition}:s3:::${target.backup_bucket}/${local.target_backup_roots[name]}backups/*"]
    backups_control_plane = flatten([for name, target in local.targets : ["arn:${local.partition}:s3:::${target.backup_bucket}/${local.target_backup_roots[name]}backups/*", "arn:${local.partition}:s3:::${target.backup_bucket}/${local.target_backup_roots[name]}control-plane/*"]])
  }
  target_backup_list_prefixes = {
    backups               = distinct([for root in values(local.target_backup_roots) : "${root}backups/*"])
    backups_control_plane = distinct(flatten([for root in values(local.target_backup_roots) : ["${root}backups/*", "${root}control-plane/*"]]))
  }

  # STANDBY_TARGETS, the one repository variable the workflows read per target (docs/terraform.md,
  # "Targets"): `names` for freshness.yml's matrix, `targets` to look a target up by name. Values are in
  # the form the phases' inputs take (providers and dimensions as comma lists, the backups URI).
  # storage_class and loader_image are the eks restore's storage-class and loader-image: empty on k3s,
  # whose restore takes neither.
  standby_targets = {
    names = sort(keys(local.targets))
    targets = { for name, target in local.targets : name => {
      name                 = name
      kind                 = target.target_kind
      publish_bucket       = target.publish_bucket
      publish_prefix       = target.publish_prefix
      providers            = join(",", target.providers)
      expected_marker_file = target.expected_marker_file
      backup_uri           = "s3://${target.backup_bucket}/${local.target_backup_roots[name]}backups/"
      namespace            = target.namespace == null ? "" : target.namespace
      state_claim          = target.state_claim == null ? "" : target.state_claim
      metric_dimensions    = join(",", formatlist("%s=%s", keys(target.metric_dimensions), values(target.metric_dimensions)))
      alarms               = [for kind in ["freshness", "correctness"] : "${local.alarm_names[kind]}${target.alarm_suffix}"]
      storage_class        = target.target_kind == "eks" ? target.storage_class : ""
      loader_image         = target.target_kind == "eks" ? target.loader_image : ""
    } }
  }

  alarm_names = {
    freshness   = "standby-pipeline-freshness"
    correctness = "standby-publish-correctness"
    backup_age  = "standby-backup-age"
    drill_age   = "standby-drill-age"
  }
}

# The alarms became per target (for_each over local.targets); the single deployment's alarms are the
# `default` target's, so an existing state moves them instead of destroying and recreating them.
moved {
  from = aws_cloudwatch_metric_alarm.freshness
  to   = aws_cloudwatch_metric_alarm.freshness["default"]
}

moved {
  from = aws_cloudwatch_metric_alarm.correctness
  to   = aws_cloudwatch_metric_alarm.correctness["default"]
}

moved {
  from = aws_cloudwatch_metric_alarm.backup_age
  to   = aws_cloudwatch_metric_alarm.backup_age["default"]
}

moved {
  from = aws_cloudwatch_metric_alarm.drill_age
  to   = aws_cloudwatch_metric_alarm.drill_age["default"]
}
