using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MseLab.Data;
using MseLab.Grains.Execution;
using MseLab.Models.Runtime;
using MseLab.Worker;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(WorkerCommandLine.Help);
    return 0;
}

try
{
    var (profile, settings) = WorkerCommandLine.Parse(args);
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = Directory.GetCurrentDirectory() });
    if (profile is not null)
    {
        if (!File.Exists(profile))
        {
            throw new FileNotFoundException($"Profile {Path.GetFullPath(profile)} not found. Write one as in the README (section 'Lab cluster').");
        }

        builder.Configuration.AddJsonFile(Path.GetFullPath(profile), optional: false);
    }

    builder.Configuration.AddEnvironmentVariables("MSELAB_");
    builder.Configuration.AddInMemoryCollection(settings);
    builder.Logging.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat) = (true, "HH:mm:ss.fff "));
    builder.Logging.SetMinimumLevel(LogLevel.Information);
    builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning).AddFilter("MassTransit", LogLevel.Warning);
    builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
    builder.AddMseLabSilo();
    using var host = builder.Build();

    // The schema is applied by `mselab db migrate`, never by a worker: say so rather than run against an old schema.
    var database = host.Services.GetRequiredService<ResultsDatabase>();
    var pending = await database.PendingMigrationsAsync();
    if (pending.Count > 0)
    {
        throw new InvalidOperationException(
            $"The results store at {database.Location} lacks {pending.Count} migration(s) ({string.Join(", ", pending)}). Run `mselab db migrate --cluster {profile ?? "PROFILE"}` first.");
    }

    TorchRuntime.SetThreads(host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value.Threads);
    await host.RunAsync();
    return 0;
}
catch (Exception e) when (e is FormatException or FileNotFoundException or InvalidOperationException or OptionsValidationException
    or Npgsql.NpgsqlException or System.Net.Sockets.SocketException or InvalidDataException)
{
    Console.Error.WriteLine($"mselab-worker: {e.Message}");
    return 2;
}
