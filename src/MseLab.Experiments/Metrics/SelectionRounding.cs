namespace MseLab.Experiments.Metrics;

/// <summary>
/// The rounding the reference applies to a metric before comparing it across epochs.
/// </summary>
/// <remarks>
/// MMSA/MSE-Adapter's MOSEI metrics return <c>round(mae, 4)</c> on a numpy float32, i.e. multiply by 1e4 in float32,
/// round half to even, divide by 1e4 in float32; the selection test then runs on that value. SIMS and
/// MELD/CHERMA metrics are returned unrounded.
/// </remarks>
public static class SelectionRounding
{
    /// <summary>The value as the reference's selection test sees it.</summary>
    public static double Apply(MetricsTask task, double value) => task switch
    {
        MetricsTask.Mosi or MetricsTask.Mosei when double.IsFinite(value) =>
            MathF.Round((float)value * 10000f, MidpointRounding.ToEven) / 10000f,
        _ => value,
    };
}
