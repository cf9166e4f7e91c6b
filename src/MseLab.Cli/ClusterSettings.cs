using System.ComponentModel;
using Spectre.Console.Cli;

namespace MseLab.Cli;

/// <summary>Settings of the commands that work on the embedded store by default and on a lab cluster with <c>--cluster</c>.</summary>
internal class ClusterSettings : CommandSettings
{
    [CommandOption("--cluster <PROFILE>")]
    [Description("Lab cluster profile (JSON with Cluster and Store sections, see the README); also MSELAB_PROFILE. Without it: the embedded store in .mselab/.")]
    public string? Cluster { get; init; } = Environment.GetEnvironmentVariable("MSELAB_PROFILE") is { Length: > 0 } p ? p : null;
}
