using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Sweeps;
using MseLab.Experiments.Trials;

namespace MseLab.Experiments.Tests.Trials;

/// <summary>
/// A store's cell keys are hashes of the resolved configuration's canonical JSON: that text is a contract. The literals
/// here were produced by the release before the experiment domain was typed (MseLab.Sweeps), so a store written by it
/// recognises its cells after the upgrade.
/// </summary>
public sealed class TrialIdentityTests
{
    private const string Quickstart = """
        name: identity
        base: {warm_up_epochs: 3, max_epochs: 4, early_stop: 3}
        backbones: [tiny]
        datasets: [synthetic:mosei?train=160&valid=48&test=64]
        grid: {lr: [5e-4]}
        seeds: [1111]
        """;

    [Fact]
    public void Hash_QuickstartCell_EqualsTheKeyEarlierReleasesStored()
    {
        var cell = SweepExpander.Expand(SweepParser.Parse(Quickstart, "s.yaml")).Single();

        Assert.Equal("305908d43c165b9592b0a62fd0c5972101f26772519382f72951f03d72972c7f", cell.Key);
        Assert.Equal("da81ec261bebfeebfe71fba15c1430a0cb68435d351bf0e03c3db69333c00465", cell.SeedGroup);
        Assert.Equal(
            """{"Backbone":"tiny","BackboneFamily":"llama2-7b","Dataset":"synthetic:mosei?train=160\u0026valid=48\u0026test=64","Task":"mosei","Seed":1111,"Device":"cpu","BatchSize":8,"EvalBatchSize":8,"LearningRate":0.0005,"WarmUpEpochs":3,"EarlyStop":3,"PseudoTokens":4,"AudioHidden":64,"VideoHidden":32,"TextLength":50,"MaxNewTokens":4,"MaxEpochs":4,"AdamEps":0.0001,"WeightDecay":0.01}""",
            cell.Resolved.CanonicalJson());
    }

    [Fact]
    public void Hash_FolderBackboneWithPaperDefaults_EqualsTheKeyEarlierReleasesStored()
    {
        using var folder = new ModelFolder("llama");
        var config = new TrialConfig { Backbone = BackboneRef.Parse(folder.Path), Dataset = DatasetRef.Parse("synthetic:meld"), Seed = 7 };

        var resolved = TrialDefaults.Resolve(config) with { Backbone = new FolderBackbone("/tmp/idcheck/model") };

        Assert.Equal("a65ebb20da2b97af2a22838199454dec80757e33fa3b3283c27cd49a785b6723", resolved.Hash());
        Assert.Equal((6, 30, 8, 2), (resolved.BatchSize, resolved.WarmUpEpochs, resolved.EarlyStop, resolved.MaxNewTokens));
    }

    [Fact]
    public void Hash_DeviceLeftOut_CpuAndCudaRunsAreOneCell()
    {
        var config = new TrialConfig { Backbone = PresetBackbone.Tiny, Dataset = DatasetRef.Parse("synthetic:mosei") };

        Assert.Equal(TrialDefaults.Resolve(config).Hash(), TrialDefaults.Resolve(config with { Device = "cuda:1" }).Hash());
        Assert.NotEqual(TrialDefaults.Resolve(config).Hash(), TrialDefaults.Resolve(config with { Seed = 2 }).Hash());
    }

    [Fact]
    public void Resolve_QwenFolder_TakesQwenDefaultsFromConfigJson()
    {
        using var folder = new ModelFolder("qwen");
        var config = new TrialConfig { Backbone = BackboneRef.Parse(folder.Path), Dataset = DatasetRef.Parse("synthetic:meld") };

        var resolved = TrialDefaults.Resolve(config);

        Assert.Equal(BackboneFamily.Qwen1, resolved.Family);
        Assert.Equal((16, 5e-4, 2, 32, 16, 1), (resolved.BatchSize, resolved.LearningRate, resolved.PseudoTokens, resolved.AudioHidden, resolved.VideoHidden, resolved.MaxNewTokens));
        Assert.Contains("\"BackboneFamily\":\"qwen-1.8b\"", resolved.CanonicalJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_OutOfRangeHyperparameters_NamesEveryOne()
    {
        var config = new TrialConfig { Backbone = PresetBackbone.Tiny, Dataset = DatasetRef.Parse("synthetic:mosei"), BatchSize = 0, LearningRate = -1 };

        var error = Assert.Throws<ArgumentException>(() => TrialDefaults.Resolve(config));

        Assert.Contains("batch size 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("learning rate -1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrialConfig_Json_RoundTripsTypedReferencesAsText()
    {
        var config = new TrialConfig { Backbone = PresetBackbone.Tiny, Dataset = DatasetRef.Parse("synthetic:meld?valid=5&train=9"), Seed = 3, LearningRate = 1e-3 };

        var json = System.Text.Json.JsonSerializer.Serialize(config);
        var back = System.Text.Json.JsonSerializer.Deserialize<TrialConfig>(json)!;

        Assert.Contains("\"Backbone\":\"tiny\"", json, StringComparison.Ordinal);
        Assert.Contains("synthetic:meld?train=9\\u0026valid=5", json, StringComparison.Ordinal);
        Assert.Equal(config, back);
    }

    [Fact]
    public void Hash_SpellingsOfOneDataset_AreOneCell()
    {
        // The dataset enters the identity in its canonical text: parameter order, case and defaults spelled out do not make
        // a new cell. (Releases before the typed domain hashed the text as written: a sweep that spelled a dataset
        // otherwise gets new keys for it once.)
        static string Key(string dataset) => SweepExpander.Expand(SweepParser.Parse(Quickstart.Replace("synthetic:mosei?train=160&valid=48&test=64", dataset, StringComparison.Ordinal), "s.yaml")).Single().Key;

        Assert.Equal(Key("synthetic:mosei?train=160&valid=48&test=64"), Key("SYNTHETIC:Mosei?test=64&valid=48&train=160&seed=0"));
        Assert.NotEqual(Key("synthetic:mosei?train=160&valid=48&test=64"), Key("synthetic:mosei?train=160&valid=48&test=64&seed=1"));
    }

    [Fact]
    public void Hash_PrecisionPaper_IsAnotherCellWhileFp32KeepsTheEarlierKey()
    {
        var fp32 = SweepExpander.Expand(SweepParser.Parse(Quickstart + "\nprecision: fp32", "s.yaml")).Single();
        var paper = SweepExpander.Expand(SweepParser.Parse(Quickstart + "\nprecision: paper", "s.yaml")).Single();

        // fp32 written out is the default: the key earlier releases stored (Hash_QuickstartCell_EqualsTheKeyEarlierReleasesStored).
        Assert.Equal("305908d43c165b9592b0a62fd0c5972101f26772519382f72951f03d72972c7f", fp32.Key);
        Assert.NotEqual(fp32.Key, paper.Key);
        Assert.NotEqual(fp32.SeedGroup, paper.SeedGroup);
        Assert.EndsWith(""","WeightDecay":0.01,"Precision":"paper"}""", paper.Resolved.CanonicalJson(), StringComparison.Ordinal);
        Assert.Equal(fp32.Resolved with { Precision = TrialPrecision.Paper }, paper.Resolved);
    }

    [Fact]
    public void TrialConfig_Json_WritesPrecisionByNameAndReadsOldJsonAsFp32()
    {
        var config = new TrialConfig { Backbone = PresetBackbone.Tiny, Dataset = DatasetRef.Parse("synthetic:meld"), Precision = TrialPrecision.Paper };

        var json = System.Text.Json.JsonSerializer.Serialize(config);
        var old = System.Text.Json.JsonSerializer.Deserialize<TrialConfig>(json.Replace(",\"Precision\":\"paper\"", "", StringComparison.Ordinal))!;

        Assert.Contains("\"Precision\":\"paper\"", json, StringComparison.Ordinal);
        Assert.Equal(config, System.Text.Json.JsonSerializer.Deserialize<TrialConfig>(json));
        Assert.Equal(TrialPrecision.Fp32, old.Precision);
    }
}
