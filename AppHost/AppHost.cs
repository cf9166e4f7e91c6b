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

builder.AddProject<Projects.MseLab_Api>("api")
    .WithReference(orleans.AsClient())
    .WithReference(results)
    .WithReference(messaging)
    .WaitFor(workers)
    .WithExternalHttpEndpoints()
    .WithResultsPageUrl();

builder.Build().Run();
