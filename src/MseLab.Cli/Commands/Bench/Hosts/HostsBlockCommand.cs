using System.ComponentModel;
using MseLab.Cli.Hosts;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Bench.Hosts;

/// <summary><c>mselab bench hosts block K SERVER</c> (drop what host K sends to one server) and <c>unblock K SERVER</c>.</summary>
internal sealed class HostsBlockCommand : Command<HostsBlockCommand.Settings>
{
    /// <summary>The command's name that blocks; the other unblocks.</summary>
    public const string BlockName = "block";

    public const string UnblockName = "unblock";

    public sealed class Settings : HostSettings
    {
        [CommandArgument(1, "<SERVER>")]
        [Description("postgres, rabbitmq or redis.")]
        public string Server { get; init; } = "";

        public LabServer Parsed() => Enum.TryParse<LabServer>(Server, ignoreCase: true, out var server) && Enum.IsDefined(server)
            ? server
            : throw new ArgumentException($"<SERVER> '{Server}' is not a lab server: give postgres, rabbitmq or redis.");

        public override ValidationResult Validate() =>
            Enum.TryParse<LabServer>(Server, ignoreCase: true, out var server) && Enum.IsDefined(server)
                ? base.Validate()
                : ValidationResult.Error($"<SERVER> '{Server}' is not a lab server: give postgres, rabbitmq or redis.");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var hosts = settings.Existing();
        var host = settings.In(hosts);
        var server = settings.Parsed();
        if (context.Name == BlockName)
        {
            hosts.Block(host, server);
        }
        else
        {
            hosts.Unblock(host, server);
        }

        var blocked = hosts.Blocked(host);
        Console.Out.WriteLine($"{host}: blocked from {(blocked.Count == 0 ? "no server" : string.Join(", ", blocked).ToLowerInvariant())}");
        return 0;
    }
}
