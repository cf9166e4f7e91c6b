using MseLab.Cluster.Silo;
using Spectre.Console.Cli;

namespace MseLab.Worker;

/// <summary>
/// <c>mselab-worker</c>: one lab worker process, an Orleans silo that drives this machine's devices, consumes trials from
/// RabbitMQ, keeps state in Postgres and serves <c>/metrics</c>, <c>/health</c> and <c>/alive</c>. SIGTERM (or
/// <c>mselab worker drain NAME</c>) stops gracefully: running trials checkpoint and hand their cells back. When the cluster
/// declares this worker dead (cut off from it longer than the membership probes allow), the process stays: it stops that
/// silo, whose lost attempts write nothing, and joins again with a new one (<see cref="SiloRejoin"/>).
/// </summary>
internal sealed class WorkerCommand : AsyncCommand<WorkerSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, WorkerSettings settings, CancellationToken cancellationToken) =>
        RejoiningWorker.RunAsync(settings.Profile, rejoin => Build(settings, rejoin), cancellationToken);

    private static WebApplication Build(WorkerSettings settings, SiloRejoin rejoin)
    {
        var builder = WorkerHost.CreateBuilder(settings);
        builder.AddBasicServiceDefaults();
        builder.AddMseLabWorker();
        builder.RejoinWhenDeclaredDead(rejoin);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        return app;
    }
}
