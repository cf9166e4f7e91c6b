using System.ComponentModel;
using MseLab.Datasets.Stored;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Sweeps;

/// <summary>
/// <c>mselab sweep validate FILE</c>: reads and checks a sweep file the way <c>sweep run</c> does, and expands it, without
/// storing or running anything. Exit 0 when it is valid (with what it would queue), 2 with every error as
/// FILE:LINE:COLUMN otherwise. With a data root, stored datasets named without a hash are hashed as <c>sweep run</c> would
/// pin them (the hashes to write for the API, which takes pinned datasets only); without one they are listed as unpinned.
/// </summary>
internal sealed class SweepValidateCommand : Command<SweepValidateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("Sweep file (YAML), e.g. experiments/quickstart.yaml.")]
        public string File { get; init; } = "";

        [CommandOption("--data-root <DIR>")]
        [Description("Folder with the paper datasets (official layout); else the sweep's data_root, else MSELAB_DATA_ROOT. Stored datasets named without a hash are hashed there and their pinned names printed; with no root they are not hashed.")]
        public string? DataRoot { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var sweep = SweepParser.Parse(settings.File);   // every error, with file:line:column (the error handler prints them, exit 2)
        var unpinned = sweep.Datasets.OfType<StoredDatasetRef>().Where(d => !d.IsPinned).Select(d => d.Label).Distinct().ToList();
        if (DataRoot.Resolve(settings.DataRoot, sweep) is { } root)
        {
            sweep = StoredDatasetsConsole.Pin(sweep, root, verifyPinned: false);
        }
        else if (unpinned.Count > 0)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"Not pinned (no data root): {string.Join(", ", unpinned)}. `sweep run` hashes them under --data-root, data_root or {DataRoot.EnvironmentVariable}; the API takes NAME@SHA256 only.");
        }
        var cells = SweepExpander.Expand(sweep);
        var groups = cells.Select(c => c.SeedGroup).Distinct(StringComparer.Ordinal).Count();
        AnsiConsole.MarkupLineInterpolated(
            $"{settings.File}: valid. Sweep [bold]{sweep.Name}[/]: {cells.Count} cell(s) in {groups} seed group(s): {sweep.Backbones.Count} backbone(s) x {sweep.Datasets.Count} dataset(s) x {cells.Count / Math.Max(1, sweep.Backbones.Count * sweep.Datasets.Count * sweep.Seeds.Count)} configuration(s) x {sweep.Seeds.Count} seed(s), on {sweep.DeviceKind} with {(sweep.MemoryGb is { } gb ? $"{gb:0.#} GB" : "the memory plan's estimate (mselab sweep plan)")} each.");
        return 0;
    }
}
