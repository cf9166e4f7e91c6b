using System.ComponentModel;
using MseLab.Cli.Hosts;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// <c>mselab bench failover</c>: workers on separate lab hosts (network namespaces on the lab network of
/// <c>scripts/services.sh start</c>), SIGKILLs and link cuts of the one running a trial, and the seconds until the trial
/// runs on another host, with the default heartbeat and lease; then the cells lost and duplicated. Needs root.
/// </summary>
internal sealed class BenchFailoverCommand : AsyncCommand<BenchFailoverCommand.Settings>
{
    public sealed class Settings : ClusterSettings
    {
        [CommandOption("--hosts <N>")]
        [Description("Lab hosts (network namespaces), one worker each (default 3; 2 to 16: a fault needs another host to move to).")]
        [DefaultValue(3)]
        public int Hosts { get; init; } = 3;

        [CommandOption("--kills <N>")]
        [Description("SIGKILLs of the worker running the trial, each timed until the trial runs on another host (default 5).")]
        [DefaultValue(5)]
        public int Kills { get; init; } = 5;

        [CommandOption("--partitions <N>")]
        [Description("Link cuts of the host running the trial (its network down), each timed the same way, then healed (default 5).")]
        [DefaultValue(5)]
        public int Partitions { get; init; } = 5;

        [CommandOption("--trial-seconds <SECONDS>")]
        [Description("How long each trial sleeps on its device (default 10: a fault lands mid-trial, and a cut-off worker ends its trial after its lease is gone).")]
        [DefaultValue(10.0)]
        public double TrialSeconds { get; init; } = 10;

        [CommandOption("--cut-seconds <SECONDS>")]
        [Description("Keep each cut at least this long from the fault (default 0: heal once the trial runs on another host). Longer than about 10 s and the cluster declares the cut-off silo dead, so the heal also exercises its rejoining or replacement.")]
        [DefaultValue(0.0)]
        public double CutSeconds { get; init; }

        [CommandOption("--json")]
        [Description("Print {\"hosts\", \"kill_requeue_s\", \"partition_requeue_s\", \"lost\", \"duplicates\", ...} on stdout instead of a table (progress on stderr).")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Cluster is null ? ValidationResult.Error("bench failover needs --cluster PROFILE (or MSELAB_PROFILE): a lab profile on Redis, RabbitMQ and Postgres, with a database, virtual host and cluster id of its own (see the README, 'Lab cluster').")
            : Hosts is < 2 or > 16 || Kills < 0 || Partitions < 0 || Kills + Partitions == 0 || TrialSeconds is < 3 or > 600 || CutSeconds is < 0 or > 600
                ? ValidationResult.Error("--hosts must be 2 to 16, --kills and --partitions >= 0 and not both 0, --trial-seconds 3 to 600, --cut-seconds 0 to 600.")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!LabNetwork.IsUp(out var problem))
        {
            throw new LabHostsException(
                $"bench failover runs its workers on lab hosts (network namespaces on the lab network), and there is none here: {problem}. As root, run `scripts/services.sh start` (it makes the lab network), then this command as root.");
        }

        var figures = await FailoverBench.RunAsync(settings.Cluster!, settings, cancellationToken);
        figures.Write(settings.Json);
        if (!figures.Passed)
        {
            FailoverBench.Say(settings.Json, $"failed: {figures.Lost} lost, {figures.Duplicates} duplicated, {figures.KillRequeueSeconds.Count + figures.PartitionRequeueSeconds.Count} of {figures.Faults} faults moved to another host");
        }

        return figures.Passed ? 0 : 1;
    }
}
