#!/bin/bash
# kubelet image credential provider for Amazon ECR (the exec-plugin protocol of
# credentialprovider.kubelet.k8s.io/v1). The kubelet runs it for an image that matches matchImages in
# /var/lib/rancher/credentialprovider/config.yaml, sends a CredentialProviderRequest on stdin and reads a
# CredentialProviderResponse from stdout. The password is a fresh ECR token from the instance role
# (`aws ecr get-login-password`, valid 12 h); the kubelet keeps it in memory for cacheDuration (6 h) and
# asks again after that, so no credential is written to disk and k3s is never restarted to refresh one.
set -euo pipefail

request=$(cat)
api_version=$(jq -r '.apiVersion // "credentialprovider.kubelet.k8s.io/v1"' <<<"$request")
image=$(jq -r '.image // empty' <<<"$request")
registry=${image%%/*}
ecr_host='^[0-9]{12}\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$'
if [[ ! $registry =~ $ecr_host ]]; then
  echo "ecr-credential-provider: '$registry' is not an Amazon ECR registry" >&2
  exit 1
fi
region=${BASH_REMATCH[2]}

# The token goes from the AWS CLI to jq through a pipe, never through a command line (visible in ps).
aws ecr get-login-password --region "$region" |
  jq --raw-input --compact-output --arg api "$api_version" --arg registry "$registry" \
    '{apiVersion: $api, kind: "CredentialProviderResponse", cacheKeyType: "Registry", cacheDuration: "6h",
      auth: {($registry): {username: "AWS", password: .}}}'
