using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Bench.Hosts;

/// <summary><c>mselab bench hosts down</c>: removes the owner's hosts with every process on them.</summary>
internal sealed class HostsDownCommand : Command<HostsSettings>
{
    public override int Execute(CommandContext context, HostsSettings settings, CancellationToken cancellationToken)
    {
        var removed = MseLab.Cli.Hosts.LabHosts.Remove(settings.Owner);
        Console.Out.WriteLine($"removed {removed} host(s) of owner '{settings.Owner}'");
        return 0;
    }
}
