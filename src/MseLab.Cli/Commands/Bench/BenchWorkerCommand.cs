using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using MseLab.Cluster.Silo;
using MseLab.Worker;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// <c>mselab bench worker</c> (hidden): a lab worker process exactly as <c>mselab-worker</c> builds one (rejoining when declared dead), whose devices run
/// the benchmark's trials (no-op, or sleeping) instead of the engine. <c>bench dispatch --cluster</c> starts these.
/// </summary>
internal sealed class BenchWorkerCommand : AsyncCommand<BenchWorkerCommand.Settings>
{
    public sealed class Settings : WorkerSettings
    {
        [CommandOption("--trial-seconds <SECONDS>")]
        [Description("How long each trial holds its device (default 0: it finishes at once).")]
        [DefaultValue(0.0)]
        public double TrialSeconds { get; init; }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        RejoiningWorker.RunAsync(settings.Profile, rejoin => Build(settings, rejoin), cancellationToken);

    private static WebApplication Build(Settings settings, SiloRejoin rejoin)
    {
        var builder = WorkerHost.CreateBuilder(settings);
        if (settings.TrialSeconds > 0)
        {
            builder.Services.AddSingleton(new SleepTrialExecutor(TimeSpan.FromSeconds(settings.TrialSeconds)));
            builder.AddMseLabSilo<SleepTrialExecutor>();
        }
        else
        {
            builder.AddMseLabSilo<NoOpTrialExecutor>();
        }

        builder.RejoinWhenDeclaredDead(rejoin);
        return builder.Build();
    }
}
