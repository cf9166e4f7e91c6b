using MseLab.Worker;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(WorkerCommandLine.Help);
    return 0;
}

try
{
    var builder = WorkerHost.CreateBuilder(args, out var profile);
    builder.AddBasicServiceDefaults();
    builder.AddMseLabSilo();

    var app = builder.Build();
    app.MapDefaultEndpoints();
    await app.PrepareAsync(profile);
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is FormatException or FileNotFoundException or InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException
    or Npgsql.NpgsqlException or System.Net.Sockets.SocketException or InvalidDataException or IOException)
{
    Console.Error.WriteLine($"mselab-worker: {e.Message}");
    return 2;
}
