using System.ComponentModel;
using MseLab.Experiments.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Sweeps;

/// <summary>
/// <c>mselab sweep validate FILE</c>: reads and checks a sweep file the way <c>sweep run</c> does, and expands it, without
/// storing or running anything. Exit 0 when it is valid (with what it would queue), 2 with every error as
/// FILE:LINE:COLUMN otherwise.
/// </summary>
internal sealed class SweepValidateCommand : Command<SweepValidateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("Sweep file (YAML), e.g. experiments/quickstart.yaml.")]
        public string File { get; init; } = "";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var sweep = SweepParser.Parse(settings.File);   // every error, with file:line:column (the error handler prints them, exit 2)
        var cells = SweepExpander.Expand(sweep);
        var groups = cells.Select(c => c.SeedGroup).Distinct(StringComparer.Ordinal).Count();
        AnsiConsole.MarkupLineInterpolated(
            $"{settings.File}: valid. Sweep [bold]{sweep.Name}[/]: {cells.Count} cell(s) in {groups} seed group(s): {sweep.Backbones.Count} backbone(s) x {sweep.Datasets.Count} dataset(s) x {cells.Count / Math.Max(1, sweep.Backbones.Count * sweep.Datasets.Count * sweep.Seeds.Count)} configuration(s) x {sweep.Seeds.Count} seed(s), on {sweep.DeviceKind} with {sweep.MemoryGb:0.#} GB each.");
        return 0;
    }
}
