using Spectre.Console.Cli;

namespace MseLab.Worker;

/// <summary>
/// <c>mselab-worker</c>: one lab worker process, an Orleans silo that drives this machine's devices, consumes trials from
/// RabbitMQ, keeps state in Postgres and serves <c>/metrics</c>, <c>/health</c> and <c>/alive</c>. SIGTERM (or
/// <c>mselab worker drain NAME</c>) stops gracefully: running trials checkpoint and hand their cells back.
/// </summary>
internal sealed class WorkerCommand : AsyncCommand<WorkerSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, WorkerSettings settings, CancellationToken cancellationToken)
    {
        var builder = WorkerHost.CreateBuilder(settings);
        builder.AddBasicServiceDefaults();
        builder.AddMseLabWorker();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.PrepareAsync(settings.Profile);
        await app.RunAsync();
        return 0;
    }
}
