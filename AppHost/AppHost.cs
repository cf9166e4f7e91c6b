using Microsoft.Extensions.Configuration;
using MseLab.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

// Servers: containers (Docker), or existing ones given as connection strings (Servers=existing; see the README).
var (results, messaging, membership) = builder.AddLabServers();

var orleans = builder.AddOrleans("mselab")
    .WithClustering(membership);

var migrations = builder.AddProject<Projects.MseLab_MigrationService>("migrations")
    .WithReference(results)
    .WaitFor(results);

var workers = builder.AddProject<Projects.MseLab_Worker>("worker")
    .WithReference(orleans)
    .WithReference(results)
    .WithReference(messaging)
    .WaitFor(messaging)
    .WaitFor(membership)
    .WaitForCompletion(migrations)
    .WithLabWorkerSettings()
    .WithReplicas(builder.Configuration.GetValue("Workers", 2));

// The API's admin secret (user admin, role admin) for a lab with no users yet: set Parameters:api-admin-token, or the
// AppHost generates one and keeps it in its user secrets (the dashboard shows it on the parameter).
var adminToken = builder.AddLabAdminToken();

builder.AddProject<Projects.MseLab_Api>("api")
    .WithReference(orleans.AsClient())
    .WithReference(results)
    .WithReference(messaging)
    .WaitFor(workers)
    .WithAdminToken(adminToken)
    .WithExternalHttpEndpoints()
    .WithResultsPageUrl();

builder.Build().Run();
