using MseLab.MigrationService;

var builder = Host.CreateApplicationBuilder(args);
builder.AddBasicServiceDefaults();
builder.AddResultsStore();
builder.Services.AddHostedService<Migrator>();

builder.Build().Run();
