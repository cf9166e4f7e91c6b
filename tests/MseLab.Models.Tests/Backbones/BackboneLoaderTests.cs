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

    [Theory]
    [InlineData(BackboneFamily.Qwen1)]
    public void Load_FamilyWithoutALoaderYet_IsRefusedNamingTheFolderAndTheFamily(BackboneFamily family)
    {
        var error = Assert.Throws<NotSupportedException>(() => BackboneLoader.Load(_dir, family));

        Assert.Contains(_dir, error.Message, StringComparison.Ordinal);
        Assert.Contains(family.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => BackboneLoader.LoadTokenizer(_dir, family));
    }
}
