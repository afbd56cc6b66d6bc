# standby's restore plan: the one program that decides what a restore applies. restore.sh runs it on the
# runner (shipped beside it, src/runner/scripts.ts) and `standby restore-preview` / the reviewer summary run
# it locally with the jq binary over the same backup's manifests (src/preview/), so the preview is the plan,
# not a second guess. A jq module: callers `include "restore-plan";` with `-L <its directory>`.

# manifest_objects($file): every object of one parsed manifest document (JSON), Lists expanded, each as
# {file, object}. `kubectl label --local` (how the runner reads YAML) adds an empty labels map: dropped.
def manifest_objects($file):
  def items: if type == "array" then .[] | items
    elif type == "object" and (.kind | type) == "string" and (.kind | endswith("List")) and (.items | type) == "array"
    then .items[] | items else . end;
  items | select(. != null) | if .metadata.labels == {} then del(.metadata.labels) else . end
  | {file: $file, object: .};

# Dependency order: Namespaces, CRDs, identities and RBAC, configuration, storage, everything else
# (Services, custom resources), workloads last.
def rank: {Namespace:0, CustomResourceDefinition:1, ServiceAccount:2, Role:2, ClusterRole:2,
  RoleBinding:2, ClusterRoleBinding:2, PriorityClass:2, ConfigMap:3, Secret:3, StorageClass:4, PersistentVolume:4,
  PersistentVolumeClaim:4, Deployment:6, StatefulSet:6, DaemonSet:6, ReplicaSet:6, Job:6, CronJob:6, Pod:6}[.kind] // 5;

# Holding (issue 20.4): until activation, nothing restored runs by itself. Each workload is applied held,
# its original setting kept in the annotation standby.dev/held (JSON) so activation restores exactly it:
# Deployments, StatefulSets and ReplicaSets at replicas 0 (original count, default 1), CronJobs and Jobs
# suspended (spec.suspend, GA since Kubernetes 1.24 for Jobs), DaemonSets given a node selector no node
# carries. Bare Pods cannot be held (a Pod starts when it is created) and are refused by the plan.
def held(original): .metadata.annotations = ((.metadata.annotations // {}) + {"standby.dev/held": (original | tojson)});
def hold:
  if .kind == "CronJob" or .kind == "Job" then held({suspend: (.spec.suspend // false)}) | .spec.suspend = true
  elif .kind == "Deployment" or .kind == "StatefulSet" or .kind == "ReplicaSet"
  then held({replicas: (if .spec.replicas == null then 1 else .spec.replicas end)}) | .spec.replicas = 0
  elif .kind == "DaemonSet"
  then held({nodeSelector: (.spec.template.spec.nodeSelector // null)})
    | .spec.template.spec.nodeSelector = {"standby.dev/held": "until-activation"}
  else . end;

def podspec_path: if .kind == "Pod" then ["spec"] elif .kind == "CronJob" then ["spec", "jobTemplate", "spec", "template", "spec"]
  else ["spec", "template", "spec"] end;
def podspec: getpath(podspec_path);
def workload: .kind as $k | ["Pod","Deployment","StatefulSet","DaemonSet","ReplicaSet","Job","CronJob"] | index($k);

# Pinning (the eks target): a restored workload's pods may run only on this execution's node group, which
# bringup labels and taints standby.dev/execution=<id> (effect NoSchedule). The node selector keeps them
# off the cluster's other nodes; the toleration lets them onto their own (a tainted node takes only pods
# that tolerate the taint). Applied before holding, so a DaemonSet's held original keeps the pin.
def pinning($execution): {node_selector: {"standby.dev/execution": $execution},
  toleration: {key: "standby.dev/execution", operator: "Equal", value: $execution, effect: "NoSchedule"}};
def pin($pin): if workload then setpath(podspec_path; podspec // {}
    | .nodeSelector = ((.nodeSelector // {}) + $pin.node_selector)
    | .tolerations = ([(.tolerations // [])[] | select(. != $pin.toleration)] + [$pin.toleration])) else . end;
# Whether a workload read back from the cluster is pinned: its pod template tolerates the taint, and
# selects the node group (a held DaemonSet: in the selector activation gives back).
def is_pinned($pin):
  ((if .kind == "DaemonSet" and .metadata.annotations["standby.dev/held"] != null
    then (.metadata.annotations["standby.dev/held"] | fromjson | .nodeSelector) else podspec.nodeSelector end) // {}) as $selector
  | ($pin.node_selector | to_entries | all(.[]; $selector[.key] == .value))
    and any(podspec.tolerations[]?; .key == $pin.toleration.key and .value == $pin.toleration.value
      and (.operator // "Equal") == "Equal" and .effect == $pin.toleration.effect);
# How the restore report and the preview name an object: Kind/namespace/name (namespace empty when the
# manifest leaves it out: cluster-scoped, or applied into the restore's namespace).
def object_id: "\(.kind)/\(.metadata.namespace // "")/\(.metadata.name)";
# Every container image a workload names (init, app and ephemeral containers), sorted, once each.
def images: if workload then [podspec | (.initContainers, .containers, .ephemeralContainers) | .[]? | .image | strings] | unique
  else [] end;
# The workloads' images, as the restore report records them for the next preview's diff.
def workload_images: [.[] | select(workload) | {object: object_id, images: images}];

# restore_plan($ns; $claim; $target), over [{file, object}]: refuse what cannot be restored, then order by
# dependency, hold every workload, and give the state claim its volume. $target says where:
# - {kind: "k3s", volume, path}: the claim is pre-bound to the restored directory, a hostPath
#   PersistentVolume `volume` at `path` that the plan adds;
# - {kind: "eks", storage_class, execution}: the claim gets a new volume from the storage class (bound when
#   restore.sh's loader pod mounts it), and every workload is pinned to the execution's node group.
# Gives {error} or {claimants, objects, pinning, cluster_owned} (pinning: null and cluster_owned [] on k3s;
# on eks the objects the cluster must already have are left out of `objects` and named in cluster_owned).
# What a restore on eks leaves to the cluster: objects outside the runner's access (the edit role in the
# application namespace, docs/terraform.md): cluster-scoped kinds, and Roles and RoleBindings, which the
# edit role cannot write. They must be on the cluster already (the cluster owner's); the report lists them.
def cluster_owned: .kind as $k | ["Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding",
  "StorageClass", "PriorityClass", "PersistentVolume", "IngressClass", "RuntimeClass", "CSIDriver",
  "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService", "Role", "RoleBinding"] | index($k);

def restore_plan($ns; $claim; $target):
  def mine: (.metadata.namespace // $ns) == $ns;
  [.[] | select((.object.apiVersion | type) != "string" or (.object.kind | type) != "string"
    or (.object.metadata.name | type) != "string" or .object.metadata.name == "")] as $bad
  | [.[] | select(.object.metadata.namespace != null and .object.metadata.namespace != $ns)] as $foreign
  | [.[].object | select(.kind == "PersistentVolumeClaim" and .metadata.name == $claim and mine)] as $pvc
  | [.[].object | select(workload and mine)
      | select([podspec.volumes[]?.persistentVolumeClaim.claimName] | index($claim)) | "\(.kind)/\(.metadata.name)"] as $claimants
  | [.[] | select(.object.kind == "Pod")] as $pods
  | if ($bad | length) > 0 then {error: "\($bad[0].file): an object without apiVersion, kind or metadata.name"}
    elif ($pods | length) > 0 then {error: "\($pods[0].file): Pod/\($pods[0].object.metadata.name) is a bare Pod: it would start the moment it is applied and cannot be held until activation; run it from a Deployment, Job or CronJob"}
    elif ($foreign | length) > 0 then {error: "\($foreign[0].file): \($foreign[0].object | object_id) is not in namespace \($ns); restore applies only \($ns) and cluster-scoped objects"}
    elif ($pvc | length) == 0 then {error: "the manifests have no PersistentVolumeClaim \($claim) in namespace \($ns): nothing can hold the restored state"}
    elif ($claimants | length) == 0 then {error: "no workload in the manifests mounts the claim \($claim): the restored state would be read by nothing"}
    else
      ($pvc[0].spec.resources.requests.storage // "1Gi") as $size
      | ($pvc[0].spec.accessModes // ["ReadWriteOnce"]) as $modes
      | (if $target.kind == "eks" then pinning($target.execution) else null end) as $pin
      | (if $target.kind == "eks" then [] else [{apiVersion: "v1", kind: "PersistentVolume",
              metadata: {name: $target.volume, labels: {"app.kubernetes.io/managed-by": "standby"}},
              spec: {capacity: {storage: $size}, accessModes: $modes, persistentVolumeReclaimPolicy: "Retain",
                storageClassName: "", hostPath: {path: $target.path, type: "Directory"},
                claimRef: {namespace: $ns, name: $claim}}}] end) as $volume
      | ($volume + [.[].object
          | if .kind == "PersistentVolumeClaim" and .metadata.name == $claim and mine
            then del(.spec.selector) | if $target.kind == "eks"
              then .spec.storageClassName = $target.storage_class | del(.spec.volumeName)
              else .spec.storageClassName = "" | .spec.volumeName = $target.volume end
            else (if $pin then pin($pin) else . end) | hold end]
          | to_entries | sort_by([(.value | rank), .key]) | map(.value)) as $objects
      | (if $target.kind == "eks" then [$objects[] | select(cluster_owned)] else [] end) as $owned
      | ($objects - $owned) as $objects
      | {claimants: $claimants, objects: $objects, cluster_owned: [$owned[] | object_id],
         pinning: (if $pin then $pin + {workloads: [$objects[] | select(workload) | object_id]} else null end)}
    end;

# The eks state loader (restore.sh's load_state): a short-lived pod of a digest-pinned image that mounts
# the state claim at /state (making a WaitForFirstConsumer class provision it) and sleeps while restore.sh
# streams the state in with `kubectl exec`. Pinned like the workloads, so the volume is created where they
# will run; deleted by restore.sh, and gone after an hour even if restore.sh is not there to delete it.
def loader_pod($name; $claim; $image; $target):
  {apiVersion: "v1", kind: "Pod",
   metadata: {name: $name, labels: {"app.kubernetes.io/managed-by": "standby", "app.kubernetes.io/component": "state-loader"}},
   spec: {restartPolicy: "Never", activeDeadlineSeconds: 3600, automountServiceAccountToken: false,
     containers: [{name: "loader", image: $image, command: ["sleep", "3600"],
       volumeMounts: [{name: "state", mountPath: "/state"}]}],
     volumes: [{name: "state", persistentVolumeClaim: {claimName: $claim}}]}}
  | pin(pinning($target.execution));

# The control-plane bundle: the same rules as the manifests (this namespace or cluster-scoped, every
# workload held, and on eks pinned), over [{file, object}].
def control_plane_plan($ns; $target):
  if any(.[]; .object.metadata.namespace != null and .object.metadata.namespace != $ns)
  then error("the control-plane bundle has objects outside namespace \($ns)")
  elif any(.[]; .object.kind == "Pod") then error("the control-plane bundle has a bare Pod, which cannot be held")
  else . end
  | [.[].object | if $target.kind == "eks" then select(cluster_owned | not) | pin(pinning($target.execution)) else . end | hold];

# What the preview shows of a plan (src/preview/): each object as restore.sh applies it, its images and
# the original setting it is held from; the claim with the size the state volume is given (on eks, the
# storage class a new volume comes from, and the pinning).
def plan_preview($claim; $target):
  if .error then . else
    {claimants: .claimants,
     state: (if $target.kind == "eks"
       then [.objects[] | select(.kind == "PersistentVolumeClaim" and .metadata.name == $claim)
         | {claim: $claim, volume: null, storage_class: .spec.storageClassName, size: .spec.resources.requests.storage,
            access_modes: .spec.accessModes}]
       else [.objects[] | select(.kind == "PersistentVolume" and .metadata.name == $target.volume)
         | {claim: $claim, volume: $target.volume, size: .spec.capacity.storage, access_modes: .spec.accessModes}] end
       | first),
     objects: [.objects[] | {id: object_id, kind, namespace: (.metadata.namespace // null), name: .metadata.name,
       images: images, held: (.metadata.annotations["standby.dev/held"] // null | if . == null then null else fromjson end)}]}
    + (if .pinning then {pinning: .pinning, cluster_owned: .cluster_owned} else {} end)
  end;
