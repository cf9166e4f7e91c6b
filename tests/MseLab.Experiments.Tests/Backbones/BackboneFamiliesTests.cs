using MseLab.Experiments.Backbones;

namespace MseLab.Experiments.Tests.Backbones;

public sealed class BackboneFamiliesTests
{
    [Theory]
    [InlineData("llama", null, BackboneFamily.Llama2)]
    [InlineData("qwen", "QWenLMHeadModel", BackboneFamily.Qwen1)]
    [InlineData("chatglm", "ChatGLMModel", BackboneFamily.ChatGLM3)]
    [InlineData("", "QWenLMHeadModel", BackboneFamily.Qwen1)]
    public void Detect_ConfigJson_FamilyFromModelTypeOrArchitecture(string modelType, string? architecture, BackboneFamily family)
    {
        using var folder = new ModelFolder(modelType, architecture);

        Assert.Equal(family, BackboneFamilies.Detect(folder.Path));
        Assert.Equal(family, BackboneRef.Parse(folder.Path).Family);
    }

    [Fact]
    public void Detect_UnsupportedFamily_NamesTheFileAndTheFamiliesSupported()
    {
        using var folder = new ModelFolder("gpt2", "GPT2LMHeadModel");

        var error = Assert.Throws<InvalidDataException>(() => BackboneFamilies.Detect(folder.Path));

        Assert.Contains(folder.ConfigPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("model_type 'gpt2'", error.Message, StringComparison.Ordinal);
        Assert.Contains("llama (LlamaForCausalLM), qwen (QWenLMHeadModel), chatglm (ChatGLMModel)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_BrokenOrMissingConfig_ClearErrors()
    {
        using var folder = new ModelFolder("llama");
        File.WriteAllText(folder.ConfigPath, "{ not json");
        Assert.Contains("not a valid config.json", Assert.Throws<InvalidDataException>(() => BackboneFamilies.Detect(folder.Path)).Message, StringComparison.Ordinal);

        File.Delete(folder.ConfigPath);
        Assert.Contains("needs config.json", Assert.Throws<FileNotFoundException>(() => BackboneFamilies.Detect(folder.Path)).Message, StringComparison.Ordinal);

        var missing = Path.Combine(folder.Path, "nope");
        Assert.Contains("mselab backbone create-tiny", Assert.Throws<DirectoryNotFoundException>(() => BackboneFamilies.Detect(missing)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PresetOrFolder_RelativeFoldersAreAnchored()
    {
        Assert.Same(PresetBackbone.Tiny, BackboneRef.Parse("TINY"));
        Assert.Equal(BackboneFamily.Llama2, PresetBackbone.Tiny.Family);

        var folder = Assert.IsType<FolderBackbone>(BackboneRef.Parse("models/llama", "/data/sweeps"));
        Assert.Equal("/data/sweeps/models/llama", folder.Directory);
        Assert.Equal("llama", folder.Label);
    }

    [Fact]
    public void PaperNames_EveryFamilyHasOne()
    {
        Assert.Equal(["llama2-7b", "qwen-1.8b", "chatglm3-6b-base"], BackboneFamilies.PaperNames);
        Assert.All(Enum.GetValues<BackboneFamily>(), f => Assert.Equal(f, BackboneFamilies.ParsePaperName(BackboneFamilies.PaperName(f))));
    }
}
