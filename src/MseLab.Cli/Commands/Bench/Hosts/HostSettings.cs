using System.ComponentModel;
using MseLab.Cli.Hosts;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Bench.Hosts;

/// <summary>Settings of the <c>mselab bench hosts</c> commands that act on one host, numbered as <c>up</c> made them.</summary>
internal class HostSettings : HostsSettings
{
    [CommandArgument(0, "<K>")]
    [Description("The host's number: 1 for mselab-OWNER-h1, ...")]
    public int Number { get; init; }

    public override ValidationResult Validate() =>
        Number < 1 ? ValidationResult.Error("<K> is a host number, 1 or more.") : base.Validate();

    /// <summary>The host numbered <see cref="Number"/> among <paramref name="hosts"/>.</summary>
    /// <exception cref="LabHostsException">There is no such host.</exception>
    public LabHost In(LabHosts hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        return hosts.Hosts.FirstOrDefault(h => h.Number == Number)
            ?? throw new LabHostsException($"owner '{Owner}' has no host {Number} (hosts: {string.Join(", ", hosts.Hosts.Select(h => h.Number))})");
    }
}
