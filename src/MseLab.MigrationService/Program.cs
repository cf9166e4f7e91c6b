using MseLab.MigrationService;

var builder = Host.CreateApplicationBuilder(args);
builder.AddBasicServiceDefaults();
builder.AddResultsDatabase();
builder.Services.AddHostedService<Migrator>();

builder.Build().Run();
