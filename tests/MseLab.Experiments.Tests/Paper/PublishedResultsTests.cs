using System.Text;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Metrics;
using MseLab.Experiments.Paper;

namespace MseLab.Experiments.Tests.Paper;

public sealed class PublishedResultsTests
{
    [Fact]
    public void All_EmbeddedFile_LoadsElevenLoggedRowsAndFourteenReproductions()
    {
        Assert.Equal(11, PublishedResults.All.Count(r => r.Kind == PublishedResultKind.Logged));
        Assert.Equal(14, PublishedResults.All.Count(r => r.Kind == PublishedResultKind.Reproduction));
        Assert.All(PublishedResults.All, r => Assert.NotEmpty(r.Source.Path));
        Assert.All(PublishedResults.All.Where(r => r.Kind == PublishedResultKind.Logged), r => Assert.Equal(("AZYoung233/MSE-Adapter", 5), (r.Source.Repository, r.Seeds)));
    }

    [Fact]
    public void All_EveryMetric_IsAKeyOfTheDatasetsTaskAndAFraction()
    {
        foreach (var row in PublishedResults.All)
        {
            var known = MetricKeys.For(PaperDatasets.Info(row.Dataset).Metrics);
            Assert.All(row.Metrics, m => Assert.Contains(m.Key, known));
            // The logs print x100 (MAE too); stored as fractions every published value lies in (0, 1).
            Assert.All(row.Metrics.Values, v => Assert.InRange(v, 0.05, 0.95));
            Assert.Equal(known.Where(row.Metrics.ContainsKey), row.Metrics.Keys);   // the task's order
        }
    }

    [Fact]
    public void Reference_OnePerLoggedBackboneAndDataset_NoneForLlama2()
    {
        foreach (var family in new[] { BackboneFamily.ChatGLM3, BackboneFamily.Qwen1 })
        {
            foreach (var dataset in PaperDatasets.InPaper)
            {
                var reference = PublishedResults.Reference(family, dataset.Dataset);
                Assert.NotNull(reference);
                Assert.Equal(PublishedResultKind.Logged, reference.Kind);
                Assert.False(string.IsNullOrWhiteSpace(reference.Why));
            }
        }

        Assert.All(PaperDatasets.InPaper, d => Assert.Null(PublishedResults.Reference(BackboneFamily.Llama2, d.Dataset)));
        Assert.Null(PublishedResults.Reference(BackboneFamily.ChatGLM3, PaperDataset.Mosi));
        Assert.Equal(8, PublishedResults.All.Count(r => r.IsReference));
    }

    [Fact]
    public void Reference_ChatGlm3Mosei_IsTheFeb2025RerunInFractions()
    {
        var reference = PublishedResults.Reference(BackboneFamily.ChatGLM3, PaperDataset.Mosei)!;

        Assert.Equal("chatglm3-mosei-2025-02", reference.Id);
        Assert.Equal("MSE-ChatGLM3-6B/logs/cmcm-mosi.log", reference.Source.Path);
        // Spec 6.1: Has0 Acc-2 86.91, MAE 51.47 (x100).
        Assert.Equal(0.8691, reference.Metrics[MetricKeys.Has0Acc2], 12);
        Assert.Equal(0.5147, reference.Metrics[MetricKeys.Mae], 12);
        Assert.False(reference.Metrics.ContainsKey(MetricKeys.Non0F1));   // not in the logs' table
        Assert.Equal(2, PublishedResults.For(BackboneFamily.ChatGLM3, PaperDataset.Mosei).Count(r => r.Kind == PublishedResultKind.Logged));
    }

    [Fact]
    public void For_Llama2SimsV2_HasOnlyReproductions()
    {
        var rows = PublishedResults.For(BackboneFamily.Llama2, PaperDataset.SimsV2);

        Assert.Equal(["issue10-llama2-simsv2", "lishuaitong16-llama2-simsv2"], rows.Select(r => r.Id));
        Assert.All(rows, r => Assert.Equal(PublishedResultKind.Reproduction, r.Kind));
    }

    [Fact]
    public void For_EveryTask_MatchesTheKeysTaskMetricsComputes()
    {
        foreach (var task in Enum.GetValues<MetricsTask>())
        {
            float[] truth = [0f, 1f, 2f, 1f, 0f, 3f];
            float[] prediction = [0f, 1f, 1f, 1f, 2f, 3f];

            Assert.Equal(TaskMetrics.Compute(task, truth, prediction).Keys, MetricKeys.For(task));
        }
    }

    [Theory]
    [InlineData("\"metrics\": {\"acc\": 60}", "metric 'acc' is not a mosei metric")]
    [InlineData("\"metrics\": {\"mae\": 50}, \"refrence\": true", "refrence")]
    [InlineData("\"metrics\": {\"mae\": 50}, \"backbone\": \"gpt2\"", "backbone 'gpt2'")]
    public void Load_BadRow_ThrowsNamingTheRowAndTheProblem(string change, string expected)
    {
        var row = Row("a", reference: true, extra: change);

        var e = Assert.Throws<InvalidDataException>(() => Load(row));

        Assert.Contains("test.json", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TwoReferencesForOnePair_Throws()
    {
        var e = Assert.Throws<InvalidDataException>(() => Load(Row("a", reference: true), Row("b", reference: true)));

        Assert.Contains("2 reference rows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReproductionAsReference_Throws()
    {
        var e = Assert.Throws<InvalidDataException>(() => Load(Row("a", reference: true, kind: "reproduction")));

        Assert.Contains("a reference must be a logged row", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ValidRows_DividesByOneHundred()
    {
        var row = Assert.Single(Load(Row("a", reference: true)));

        Assert.Equal(0.5, row.Metrics[MetricKeys.Mae], 12);
    }

    private static string Row(string id, bool reference, string kind = "logged", string extra = "\"metrics\": {\"mae\": 50}")
    {
        // A field named in extra replaces the default one.
        var fields = new Dictionary<string, string>
        {
            ["id"] = $"\"{id}\"", ["kind"] = $"\"{kind}\"", ["backbone"] = "\"qwen-1.8b\"", ["dataset"] = "\"mosei\"", ["seeds"] = "5",
            ["reference"] = reference ? "true" : "false", ["why"] = "\"because\"",
            ["source"] = "{\"repository\": \"r\", \"path\": \"p\", \"batch\": \"b\", \"config\": \"c\"}",
        };
        var text = string.Join(", ", fields.Where(f => !extra.Contains($"\"{f.Key}\"", StringComparison.Ordinal)).Select(f => $"\"{f.Key}\": {f.Value}"));
        return $"{{{text}, {extra}}}";
    }

    private static IReadOnlyList<PublishedResult> Load(params string[] rows)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes($"{{\"about\": \"x\", \"results\": [{string.Join(", ", rows)}]}}"));
        return PublishedResults.Load(stream, "test.json");
    }
}
