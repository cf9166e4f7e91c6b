using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Bench.Hosts;

/// <summary><c>mselab bench hosts list</c>: the owner's hosts, their addresses, whether each is cut and which servers it is blocked from.</summary>
internal sealed class HostsListCommand : Command<HostsSettings>
{
    public override int Execute(CommandContext context, HostsSettings settings, CancellationToken cancellationToken)
    {
        if (MseLab.Cli.Hosts.LabHosts.Open(settings.Owner) is not { } hosts)
        {
            Console.Out.WriteLine($"no lab hosts of owner '{settings.Owner}'");
            return 0;
        }

        foreach (var host in hosts.Hosts)
        {
            var blocked = hosts.Blocked(host);
            Console.Out.WriteLine(
                $"{host.Number}\t{host.Namespace}\t{host.Address}\t{(hosts.IsCut(host) ? "cut" : "up")}{(blocked.Count > 0 ? "\tblocked: " + string.Join(',', blocked).ToLowerInvariant() : "")}");
        }

        return 0;
    }
}
