using System.ComponentModel;
using MseLab.Cli.Hosts;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Bench.Hosts;

/// <summary><c>mselab bench hosts up N</c>: makes N hosts on the lab network that stay until <c>down</c>.</summary>
internal sealed class HostsUpCommand : Command<HostsUpCommand.Settings>
{
    public sealed class Settings : HostsSettings
    {
        [CommandArgument(0, "<N>")]
        [Description("How many hosts, 1 to 250.")]
        public int Count { get; init; }

        public override ValidationResult Validate() =>
            Count is < 1 or > 250 ? ValidationResult.Error("<N> must be 1 to 250.") : base.Validate();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // Not disposed: disposing removes the hosts, which must outlive this command.
#pragma warning disable CA2000
        var hosts = LabHosts.Create(settings.Count, settings.Owner);
#pragma warning restore CA2000
        foreach (var host in hosts.Hosts)
        {
            Console.Out.WriteLine($"{host.Number}\t{host.Namespace}\t{host.Address}");
        }

        return 0;
    }
}
