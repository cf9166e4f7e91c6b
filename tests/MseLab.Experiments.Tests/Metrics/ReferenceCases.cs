using System.Globalization;
using MseLab.Experiments.Metrics;

namespace MseLab.Experiments.Tests.Metrics;

/// <summary>
/// Seeded datasets that stress the conventions of spec §4: exact 0.0 / -0.0 predictions, values on bin edges,
/// half values for rounding, out-of-range and non-finite predictions, classes missing from the truth.
/// </summary>
internal static class ReferenceCases
{
    private const int Seed = 20250217;

    // The SIMS bin edges and weak-acc2 bounds, where comparing in float32 rather than double matters.
    private static readonly float[] SimsEdges = [-1.01f, -1f, -0.7f, -0.4f, -0.1f, -0f, 0f, 0.1f, 0.4f, 0.7f, 1f, 1.01f];
    // Ties for np.round (half to even) and values beyond the clip limits 2 and 3.
    private static readonly float[] HalfValues = [-3.5f, -3f, -2.5f, -2f, -1.5f, -0.5f, -0f, 0f, 0.5f, 1.5f, 2f, 2.5f, 3f, 3.5f];

    public static IReadOnlyList<ReferenceCase> All { get; } = Build();

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in All)
        {
            data.Add(c.Name);
        }

        return data;
    }

    private static List<ReferenceCase> Build()
    {
        var random = new Random(Seed);
        var cases = new List<ReferenceCase>();
        foreach (var task in new[] { MetricsTask.Mosi, MetricsTask.Mosei })
        {
            var name = MetricsTaskNames.ToName(task);

            // A model that tracks the truth with noise, and sometimes fails to parse (0.0).
            cases.Add(Make($"{name}-random", task, 300, random, Thirds,
                (r, t) => r.NextDouble() < 0.15 ? 0f : OneDecimal(t + Noise(r, 1.0))));
            cases.Add(Make($"{name}-many-zeros", task, 200, random,
                r => r.NextDouble() < 0.25 ? 0f : Thirds(r),
                (r, t) => r.NextDouble() < 0.5 ? Pick(r, [0f, -0f]) : OneDecimal(t + Noise(r, 1.5))));
            cases.Add(Make($"{name}-half-values", task, 200, random, r => Pick(r, HalfValues), (r, _) => Pick(r, HalfValues)));
        }

        cases.Add(Make("mosei-out-of-range", MetricsTask.Mosei, 150, random, Thirds, (r, _) => OneDecimal(Noise(r, 10))));
        cases.Add(Make("mosei-non-finite-predictions", MetricsTask.Mosei, 60, random, Thirds,
            (r, _) => Pick(r, [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, 1.5f, -2.5f])));
        cases.Add(Make("mosei-all-truth-zero", MetricsTask.Mosei, 40, random, _ => 0f, (r, _) => OneDecimal(Noise(r, 3))));
        cases.Add(Make("mosei-constant-prediction", MetricsTask.Mosei, 40, random, Thirds, (_, _) => 0f));
        cases.Add(Make("mosei-all-positive", MetricsTask.Mosei, 30, random, r => 0.5f + r.NextSingle(), (r, _) => 0.5f + r.NextSingle()));
        cases.Add(Make("mosei-one-sample", MetricsTask.Mosei, 1, random, _ => 1.2f, (_, _) => -0.4f));

        foreach (var task in new[] { MetricsTask.Sims, MetricsTask.SimsV2 })
        {
            var name = MetricsTaskNames.ToName(task);
            cases.Add(Make($"{name}-random", task, 300, random, Fifths, (r, t) => OneDecimal(t + Noise(r, 0.6))));
            cases.Add(Make($"{name}-bin-edges", task, 300, random, r => Pick(r, SimsEdges), (r, _) => Pick(r, SimsEdges)));
            cases.Add(Make($"{name}-many-zeros", task, 200, random, Fifths, (r, t) => r.NextDouble() < 0.5 ? 0f : OneDecimal(t + Noise(r, 0.5))));
        }

        cases.Add(Make("simsv2-continuous", MetricsTask.SimsV2, 250, random, r => (float)Noise(r, 1.2), (r, t) => t + (float)Noise(r, 0.5)));
        cases.Add(Make("sims-out-of-range", MetricsTask.Sims, 150, random, Fifths,
            (r, _) => r.NextDouble() < 0.1 ? Pick(r, [float.PositiveInfinity, float.NegativeInfinity]) : OneDecimal(Noise(r, 5))));
        cases.Add(Make("sims-no-weak-truth", MetricsTask.Sims, 50, random, r => Pick(r, [-1f, -0.8f, 0.8f, 1f]), (r, _) => OneDecimal(Noise(r, 1))));
        cases.Add(Make("sims-constant-truth", MetricsTask.Sims, 50, random, _ => 0.4f, (r, _) => OneDecimal(Noise(r, 1))));
        cases.Add(Make("sims-all-positive-truth", MetricsTask.Sims, 50, random, r => Pick(r, [0.2f, 0.6f, 1f]), (r, _) => OneDecimal(Noise(r, 1))));

        foreach (var task in new[] { MetricsTask.Meld, MetricsTask.Cherma })
        {
            var name = MetricsTaskNames.ToName(task);
            cases.Add(Make($"{name}-random", task, 500, random, Skewed, (r, t) => r.NextDouble() < 0.6 ? t : r.Next(0, 7)));

            // -1 is the loader's "unknown label"; 7 and 12 are generations outside the class map.
            cases.Add(Make($"{name}-classes-missing-from-truth", task, 120, random, r => Pick(r, [0f, 3f, 4f, -1f]),
                (r, _) => Pick(r, [0f, -0f, 1f, 3f, 5f, 6f, 7f, 12f])));
            cases.Add(Make($"{name}-all-neutral", task, 200, random, Skewed, (_, _) => 0f));
        }

        cases.Add(Make("meld-one-sample", MetricsTask.Meld, 1, random, _ => 3f, (_, _) => 3f));
        return cases;
    }

    private static ReferenceCase Make(
        string name, MetricsTask task, int count, Random random, Func<Random, float> truth, Func<Random, float, float> prediction)
    {
        var t = new float[count];
        var p = new float[count];
        for (var i = 0; i < count; i++)
        {
            t[i] = truth(random);
            p[i] = prediction(random, t[i]);
        }

        return new ReferenceCase(name, task, t, p);
    }

    // Generated numbers have one decimal; parsing the text gives the float the reference would see.
    private static float OneDecimal(double value) =>
        float.Parse(value.ToString("F1", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static double Noise(Random r, double scale) => ((r.NextDouble() * 2) - 1) * scale;

    // MOSI/MOSEI truths are means of annotator scores: multiples of 1/3 in [-3, 3].
    private static float Thirds(Random r) => r.Next(-9, 10) / 3f;

    // SIMS truths are multiples of 0.2 in [-1, 1].
    private static float Fifths(Random r) => r.Next(-5, 6) / 5f;

    // MELD-like skew: about half neutral.
    private static float Skewed(Random r) => r.NextDouble() < 0.5 ? 0f : r.Next(1, 7);

    private static float Pick(Random r, float[] values) => values[r.Next(values.Length)];
}
