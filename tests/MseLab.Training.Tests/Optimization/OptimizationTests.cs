using System.Text.Json;
using MseLab.TestSupport;
using MseLab.Training.Optimization;
using static TorchSharp.torch;

namespace MseLab.Training.Tests.Optimization;

public sealed class OptimizationTests
{
    [Fact]
    public void Update_ManySteps_EqualsTorchOptimAdamW()
    {
        var random = new Random(5);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var initial = new[] { Values(6), Values(4) };
        var lrs = new[] { 0.0, 1e-3, 5e-3, 5e-3, 2e-3, 1e-2 };
        var grads = lrs.Select(_ => new[] { Values(6), Values(4) }).ToArray();

        using var scope = NewDisposeScope();
        var parameters = initial.Select(v => tensor(v).requires_grad_(true)).ToArray();
        using var adamw = new AdamW(parameters.Select((p, i) => ($"p{i}", p)), eps: 1e-4, weightDecay: 0.01);
        var ours = new List<float[][]>();
        for (var step = 0; step < lrs.Length; step++)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].grad = tensor(grads[step][i]);
            }

            adamw.Update(lrs[step]);
            ours.Add(parameters.Select(p => p.detach().data<float>().ToArray()).ToArray());
        }

        var input = Path.GetTempFileName();
        File.WriteAllText(input, JsonSerializer.Serialize(new { @params = initial, grads, lrs, eps = 1e-4, weight_decay = 0.01 }));
        var reference = ChildProcess.RunPython(Path.Combine("Optimization", "adamw_reference.py"), [input]);
        File.Delete(input);

        var expected = JsonSerializer.Deserialize<float[][][]>(reference)!;
        Assert.Equal(lrs.Length, adamw.Step);
        for (var step = 0; step < lrs.Length; step++)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                for (var j = 0; j < expected[step][i].Length; j++)
                {
                    Assert.True(Math.Abs(expected[step][i][j] - ours[step][i][j]) < 1e-6, $"step {step} p{i}[{j}]: {ours[step][i][j]} vs torch {expected[step][i][j]}");
                }
            }
        }
    }

    [Fact]
    public void LearningRate_CosineWithWarmup_FollowsTheTransformersFormulaAndRisesPastTheHorizon()
    {
        var schedule = new CosineSchedule(BaseLearningRate: 1e-3, TotalSteps: 100);

        Assert.Equal(0.0, schedule.LearningRate(0));                       // warm-up starts at zero
        Assert.Equal(0.5e-3, schedule.LearningRate(5), 12);                // halfway through the 10-step warm-up
        Assert.Equal(1e-3, schedule.LearningRate(10), 12);                 // peak
        Assert.Equal(0.5e-3, schedule.LearningRate(55), 12);               // halfway through the cosine
        Assert.Equal(0.0, schedule.LearningRate(100), 12);                 // end of the horizon
        Assert.True(schedule.LearningRate(130) > schedule.LearningRate(110)); // unclamped: rises again past it
    }
}
