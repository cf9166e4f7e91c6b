using ScottPlot;

namespace MseLab.Cli.Commands.Plots;

/// <summary>One bar of the leaderboard plot: a group's mean, its sample std (null under 2 cells) and its cell count.</summary>
internal sealed record LeaderboardBar(string Label, double Mean, double? Std, int N);

/// <summary>Draws the leaderboard: a bar per group with an error bar, the group and its n as the tick label.</summary>
internal static class LeaderboardPlot
{
    public static Plot Draw(string title, string yTitle, IReadOnlyList<LeaderboardBar> bars)
    {
        ArgumentNullException.ThrowIfNull(bars);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var items = bars.Select((b, i) => new Bar
        {
            Position = i,
            Value = b.Mean,
            Error = b.Std ?? 0,
            FillColor = palette.GetColor(i),
        }).ToArray();
        plot.Add.Bars(items);

        // The figures go under the bar, not on it, where the error bar would cross them.
        var ticks = bars.Select((b, i) => new Tick(i, $"{b.Label}\n{Figure(b.Mean)} ± {(b.Std is { } s ? Figure(s) : "-")}\nn={b.N}")).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 14;
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.XLabel("group");
        plot.YLabel(yTitle);
        return plot;
    }

    private static string Figure(double value) => value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
}
