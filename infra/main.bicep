// Azure resources for one school (or trust): the server on App Service, its Azure Bot, Table storage,
// Key Vault and monitoring. Deploy into a resource group of a subscription in the school's own
// Microsoft 365 tenant (the bot is single-tenant). Step by step: docs/deploy.md.
//
// One user-assigned managed identity is the bot's identity (Azure Bot type UserAssignedMSI) and the
// server's identity for Table storage (a data role, no account keys), Key Vault and Microsoft Graph
// (application permissions granted after deployment: infra/grant-graph-permissions.sh).

targetScope = 'resourceGroup'

@description('Short name for this deployment, used in every resource name: 3-20 lowercase letters, digits and hyphens, starting with a letter (for example stmichaels-safety).')
@minLength(3)
@maxLength(20)
param appName string

@description('Azure region for everything but the bot (the Azure Bot is global). For a school in England: uksouth.')
param location string = resourceGroup().location

@description('App Service plan size. B1 is enough for one school; S1 or P0v3 add deployment slots and autoscale.')
@allowed(['B1', 'B2', 'B3', 'S1', 'S2', 'P0v3', 'P1v3', 'P2v3'])
param appServiceSku string = 'B1'

@description('Storage redundancy for the case records. ZRS keeps three copies across zones in the region; GZRS also copies to the paired region. Use LRS or GRS in a region without availability zones.')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS', 'Standard_RAGRS', 'Standard_RAGZRS'])
param storageSku string = 'Standard_ZRS'

@description('Days the logs are kept in Log Analytics (Application Insights included).')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

@description('Client id of the Entra app registration the Teams tabs sign in with (single sign-on): created before this deployment (docs/deploy.md, step 2).')
param tabSsoClientId string

@description('The app\'s id in the organisation\'s Teams app catalog (not the manifest id). Empty on the first deployment; the server will not start until it is set (docs/deploy.md, step 8).')
param teamsAppCatalogId string = ''

@description('Where the school\'s setup file is on the server. `npm run bundle -- --school <file>` puts it at school.json in the deployed folder.')
param schoolConfigPath string = '/home/site/wwwroot/school.json'

@description('The bot\'s name as shown in the Azure portal.')
param botDisplayName string = 'Online safety'

@description('Azure Bot pricing tier. Teams is a standard channel: F0 (free) is enough.')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('Tags put on every resource, for example { "school": "St Michael\'s" }.')
param tags object = {}

var suffix = uniqueString(resourceGroup().id)
var compactName = toLower(replace(appName, '-', ''))
// The names that must be unique across Azure carry a suffix derived from the resource group.
var webAppName = '${appName}-${take(suffix, 6)}'
var storageName = 'st${take(compactName, 9)}${take(suffix, 13)}'
var keyVaultName = 'kv${take(compactName, 12)}${take(suffix, 8)}'
var botName = 'bot-${appName}-${take(suffix, 6)}'
// The server's tables: store/tables.ts, TABLE_NAMES (the server also creates any that are missing).
var tableNames = ['Cases', 'Conversations', 'Directory', 'Audit', 'People', 'AupDocuments', 'AupSignatures', 'Training', 'FilteringLog']

// Built-in role ids.
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${appName}'
  location: location
  tags: tags
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${appName}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: logRetentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${appName}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  tags: tags
  sku: { name: storageSku }
  kind: 'StorageV2'
  properties: {
    allowSharedKeyAccess: false // no account keys: the server uses its managed identity
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for table in tableNames: {
    parent: tableService
    name: table
  }
]

resource storageRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource vaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: 'plan-${appName}'
  location: location
  tags: tags
  kind: 'linux'
  sku: { name: appServiceSku }
  properties: {
    reserved: true // Linux
  }
}

resource web 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|24-lts'
      appCommandLine: 'node app/main.js'
      alwaysOn: true // the outbox sweep retries undelivered messages in the background
      healthCheckPath: '/healthz'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
    }
  }
}

// All the app settings, in one place: the ones the server reads (README, "Environment") and App Service's.
resource appSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: web
  name: 'appsettings'
  properties: {
    // Read by the server (bot/settings.ts, tab/api/tabSettings.ts).
    NODE_ENV: 'production'
    MicrosoftAppType: 'UserAssignedMSI'
    MicrosoftAppId: identity.properties.clientId
    MicrosoftAppTenantId: tenant().tenantId
    AZURE_CLIENT_ID: identity.properties.clientId
    TABLES_ENDPOINT: storage.properties.primaryEndpoints.table
    SCHOOL_CONFIG: schoolConfigPath
    TEAMS_APP_CATALOG_ID: teamsAppCatalogId
    TAB_SSO_CLIENT_ID: tabSsoClientId
    TAB_SSO_APP_ID_URI: 'api://${web.properties.defaultHostName}/${tabSsoClientId}'
    // The monitoring system's shared secret, never in a setting: App Service reads it from Key Vault with the
    // identity. Until the secret `monitoring-secret` is put there (docs/monitoring.md), alerts are refused.
    MONITORING_SECRET: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=monitoring-secret)'
    // Read by App Service itself.
    WEBSITE_RUN_FROM_PACKAGE: '1'
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
    APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
    ApplicationInsightsAgent_EXTENSION_VERSION: '~3'
  }
  dependsOn: [storageRole, vaultRole, tables]
}

resource webLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: web
  properties: {
    workspaceId: logs.id
    logs: [
      { category: 'AppServiceConsoleLogs', enabled: true }
      { category: 'AppServiceHTTPLogs', enabled: true }
      { category: 'AppServicePlatformLogs', enabled: true }
    ]
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: { name: botSku }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${web.properties.defaultHostName}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: tenant().tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true }
  }
}

// Upper-case names: Teams Toolkit / Agents Toolkit writes outputs to env/.env.<environment> under these names.
output BOT_ID string = identity.properties.clientId
output BOT_DOMAIN string = web.properties.defaultHostName
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = web.id
output APP_SERVICE_NAME string = web.name
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output STORAGE_ACCOUNT_NAME string = storage.name
output KEY_VAULT_NAME string = vault.name
output BOT_RESOURCE_NAME string = bot.name
