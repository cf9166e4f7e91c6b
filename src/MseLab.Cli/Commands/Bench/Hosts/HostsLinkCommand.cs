using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Bench.Hosts;

/// <summary><c>mselab bench hosts cut K</c> (link down: nothing in or out) and <c>heal K</c> (link up again).</summary>
internal sealed class HostsLinkCommand : Command<HostSettings>
{
    /// <summary>The command's name that cuts; the other heals.</summary>
    public const string CutName = "cut";

    public const string HealName = "heal";

    public override int Execute(CommandContext context, HostSettings settings, CancellationToken cancellationToken)
    {
        var hosts = settings.Existing();
        var host = settings.In(hosts);
        if (context.Name == CutName)
        {
            hosts.Cut(host);
        }
        else
        {
            hosts.Heal(host);
        }

        Console.Out.WriteLine($"{host}: {(hosts.IsCut(host) ? "cut" : "up")}");
        return 0;
    }
}
