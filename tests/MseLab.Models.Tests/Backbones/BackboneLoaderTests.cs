using MseLab.Experiments.Backbones;
using MseLab.Models.Backbones;
using MseLab.TestSupport;

namespace MseLab.Models.Tests.Backbones;

public sealed class BackboneLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-backbone-loader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_FolderOfTheLlamaFamily_LoadsTheModelAndItsTokenizer()
    {
        var folder = TinyBackbones.Directory;

        using var backbone = BackboneLoader.Load(folder, BackboneFamilies.Detect(folder));
        var tokenizer = BackboneLoader.LoadTokenizer(folder, BackboneFamily.Llama2);

        Assert.True(backbone.HiddenSize > 0);
        Assert.NotEmpty(tokenizer.Encode("hello there", addSpecialTokens: false));
    }

    [Fact]
    public void Load_FolderOfTheQwenFamily_LoadsTheFrozenModel()
    {
        var folder = QwenCheckpoints.Write(Path.Combine(_dir, "qwen"), QwenCheckpoints.SmallConfig());

        using var backbone = BackboneLoader.Load(folder, BackboneFamilies.Detect(folder));

        Assert.IsType<MseLab.Models.Qwen.QwenForCausalLM>(backbone);
        Assert.All(backbone.NamedWeights(), w => Assert.False(w.Value.requires_grad, w.Name));
    }

    [Fact]
    public void Load_FolderOfTheChatGlm3Family_LoadsTheFrozenModel()
    {
        var folder = ChatGlmCheckpoints.Write(Path.Combine(_dir, "chatglm"), ChatGlmCheckpoints.SmallConfig());

        using var backbone = BackboneLoader.Load(folder, BackboneFamilies.Detect(folder));

        Assert.IsType<MseLab.Models.ChatGlm.ChatGlmForCausalLM>(backbone);
        Assert.All(backbone.NamedWeights(), w => Assert.False(w.Value.requires_grad, w.Name));
    }
}
