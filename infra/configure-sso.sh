#!/usr/bin/env bash
# Configures the Entra app registration the Teams tabs sign in with (single sign-on): the Application
# ID URI api://<host>/<client id>, the access_as_user scope, v2 access tokens, and the Teams clients
# pre-authorised for the scope (so staff are never asked to consent). Running it again changes nothing.
# Needs: Azure CLI signed in to the school's tenant as an owner of the app registration, or an
# Application Administrator.
#
#   bash infra/configure-sso.sh <AAD_APP_CLIENT_ID> <BOT_DOMAIN>
set -euo pipefail

if [ $# -ne 2 ]; then
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
  exit 1
fi
client_id=$1
host=$2
case "$host" in
  *://* | */*) echo "BOT_DOMAIN is a host name such as school-safety-abc123.azurewebsites.net, without https:// or a path" >&2; exit 1 ;;
esac

TEAMS_DESKTOP_AND_MOBILE=1fec8e78-bce4-4aaf-ab1b-5451cc387264
TEAMS_WEB=5e3ce6c0-2b1f-4285-8d4b-75ee78787346
app_url="https://graph.microsoft.com/v1.0/applications(appId='$client_id')"

# Keep the scope's id if it exists: an enabled scope cannot be replaced.
scope_id=$(az rest --method GET --url "$app_url" \
  --query "api.oauth2PermissionScopes[?value=='access_as_user'].id | [0]" -o tsv)
if [ -z "$scope_id" ] || [ "$scope_id" = "None" ]; then
  scope_id=$(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen | tr 'A-Z' 'a-z')
fi

scope=$(cat <<JSON
{
  "id": "$scope_id",
  "value": "access_as_user",
  "type": "User",
  "isEnabled": true,
  "adminConsentDisplayName": "Teams can call Online safety as the user",
  "adminConsentDescription": "Lets Microsoft Teams call the Online safety app's API as the signed-in user.",
  "userConsentDisplayName": "Sign you in to Online safety",
  "userConsentDescription": "Lets Microsoft Teams sign you in to Online safety."
}
JSON
)

# First the URI and the scope, then the clients allowed to use the scope (it must exist first).
az rest --method PATCH --url "$app_url" --headers Content-Type=application/json --output none --body "{
  \"identifierUris\": [\"api://$host/$client_id\"],
  \"api\": { \"requestedAccessTokenVersion\": 2, \"oauth2PermissionScopes\": [$scope] }
}"
az rest --method PATCH --url "$app_url" --headers Content-Type=application/json --output none --body "{
  \"api\": {
    \"requestedAccessTokenVersion\": 2,
    \"oauth2PermissionScopes\": [$scope],
    \"preAuthorizedApplications\": [
      { \"appId\": \"$TEAMS_DESKTOP_AND_MOBILE\", \"delegatedPermissionIds\": [\"$scope_id\"] },
      { \"appId\": \"$TEAMS_WEB\", \"delegatedPermissionIds\": [\"$scope_id\"] }
    ]
  }
}"

echo "Application ID URI: api://$host/$client_id"
echo "Scope: api://$host/$client_id/access_as_user ($scope_id), pre-authorised for Teams desktop, mobile and web"
