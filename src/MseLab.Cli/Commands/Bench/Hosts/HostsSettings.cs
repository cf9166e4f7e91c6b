using System.ComponentModel;
using MseLab.Cli.Hosts;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Bench.Hosts;

/// <summary>Settings of <c>mselab bench hosts ...</c>: whose hosts (<c>mselab-OWNER-hK</c>).</summary>
internal class HostsSettings : CommandSettings
{
    /// <summary>The owner of the hosts a developer makes by hand (<c>scripts/lab-hosts.sh</c>); they stay until <c>down</c>.</summary>
    public const string DeveloperOwner = "dev";

    [CommandOption("--owner <NAME>")]
    [Description("Whose hosts, part of their names mselab-OWNER-hK: 1 to 6 letters or digits (default dev, the hosts of scripts/lab-hosts.sh).")]
    [DefaultValue(DeveloperOwner)]
    public string Owner { get; init; } = DeveloperOwner;

    public override ValidationResult Validate() =>
        Owner.Length is 0 or > 6 || !Owner.All(char.IsAsciiLetterOrDigit)
            ? ValidationResult.Error($"--owner '{Owner}' must be 1 to 6 letters or digits.")
            : ValidationResult.Success();

    /// <summary>The owner's existing hosts; not disposed by the caller, which would remove them.</summary>
    /// <exception cref="LabHostsException">There are none.</exception>
    public LabHosts Existing() =>
        LabHosts.Open(Owner) ?? throw new LabHostsException($"no lab hosts of owner '{Owner}' (mselab-{Owner}-h1 ...): make them first with `scripts/lab-hosts.sh up N`");
}
