using System.ComponentModel;
using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Bench.Hosts;

/// <summary><c>mselab bench hosts exec K "COMMAND LINE"</c>: runs a command line (bash) on host K, in its network only, with this terminal.</summary>
/// <remarks>
/// One argument, not the command's own words: the option parser would take a word such as <c>-4</c> or <c>--profile</c>
/// for its own. <c>scripts/lab-hosts.sh exec K CMD ARGS...</c> quotes the words into that line.
/// </remarks>
internal sealed class HostsExecCommand : Command<HostsExecCommand.Settings>
{
    public sealed class Settings : HostSettings
    {
        [CommandArgument(1, "<COMMAND>")]
        [Description("The command line, run by bash on the host, e.g. \"ip -4 addr\".")]
        public string Command { get; init; } = "";

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Command) ? ValidationResult.Error("<COMMAND> is empty: give a command line, e.g. \"ip -4 addr\".") : base.Validate();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var host = settings.In(settings.Existing());
        using var process = Process.Start(host.StartInfo("bash", ["-c", settings.Command]))
            ?? throw new InvalidOperationException($"could not start bash on {host}");
        process.WaitForExit();
        return process.ExitCode;
    }
}
