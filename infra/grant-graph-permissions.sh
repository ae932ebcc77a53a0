#!/usr/bin/env bash
# Grants Microsoft Graph application permissions, with admin consent, to a service principal: the
# server's managed identity (whose permissions cannot be granted in the Entra admin centre) or an app
# registration. Run it in Azure Cloud Shell (Bash), signed in as a Global Administrator or a
# Privileged Role Administrator of the school's tenant. Running it again changes nothing.
#
#   bash infra/grant-graph-permissions.sh <client id> <permission> [<permission>...]
#
# For example, with BOT_ID from the deployment's outputs (docs/deploy.md, step 4):
#   bash infra/grant-graph-permissions.sh "$BOT_ID" GroupMember.Read.All TeamsAppInstallation.ReadWriteForUser.All User.Read.All
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 1
fi
client_id=$1
shift

GRAPH_APP_ID=00000003-0000-0000-c000-000000000000
# An app registration made with the Azure CLI has no service principal until one is created.
principal=$(az ad sp show --id "$client_id" --query id -o tsv 2>/dev/null || az ad sp create --id "$client_id" --query id -o tsv)
graph=$(az ad sp show --id "$GRAPH_APP_ID" --query id -o tsv)
echo "Service principal $principal (client id $client_id)"

for permission in "$@"; do
  role=$(az ad sp show --id "$GRAPH_APP_ID" \
    --query "appRoles[?value=='$permission' && contains(allowedMemberTypes, 'Application')].id | [0]" -o tsv)
  if [ -z "$role" ]; then
    echo "$permission: Microsoft Graph has no application permission of that name" >&2
    exit 1
  fi
  granted=$(az rest --method GET \
    --url "https://graph.microsoft.com/v1.0/servicePrincipals/$principal/appRoleAssignments" \
    --query "length(value[?appRoleId=='$role'])" -o tsv)
  if [ "$granted" != "0" ]; then
    echo "$permission: already granted"
    continue
  fi
  az rest --method POST \
    --url "https://graph.microsoft.com/v1.0/servicePrincipals/$principal/appRoleAssignments" \
    --headers Content-Type=application/json \
    --body "{\"principalId\":\"$principal\",\"resourceId\":\"$graph\",\"appRoleId\":\"$role\"}" \
    --output none
  echo "$permission: granted"
done
