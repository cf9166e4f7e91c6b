using MseLab.Reporting.Curves;
using ScottPlot;

namespace MseLab.Cli.Commands.Plots;

/// <summary>Draws learning curves: a mean line with markers per group over a translucent ± std band, legend outside the data.</summary>
internal static class CurvesPlot
{
    /// <summary>Alpha of the std band: visible, yet lines of other groups show through it.</summary>
    private const double BandAlpha = 0.2;

    public static Plot Draw(string title, string yTitle, IReadOnlyList<(string Label, IReadOnlyList<BandPoint> Band)> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < curves.Count; i++)
        {
            var (label, band) = curves[i];
            var color = palette.GetColor(i);
            var xs = band.Select(p => (double)p.Epoch).ToArray();
            var means = band.Select(p => p.Mean).ToArray();
            if (band.Any(p => p.Std is not null))
            {
                var fill = plot.Add.FillY(xs, band.Select(p => p.Mean - (p.Std ?? 0)).ToArray(), band.Select(p => p.Mean + (p.Std ?? 0)).ToArray());
                fill.FillColor = color.WithAlpha(BandAlpha);
                fill.LineWidth = 0;
            }

            var line = plot.Add.Scatter(xs, means, color);
            line.LineWidth = 2;
            line.MarkerSize = 6;
            var seeds = band.Max(p => p.N);
            line.LegendText = $"{label} (n={seeds})";
        }

        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yTitle);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }
}
