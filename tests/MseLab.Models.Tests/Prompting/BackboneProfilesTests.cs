using System.Text.RegularExpressions;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Presets;
using MseLab.Models.Prompting;
using MseLab.Models.Tests.Tokenization;
using MseLab.Models.Tokenization;

namespace MseLab.Models.Tests.Prompting;

public sealed class BackboneProfilesTests
{
    private const string MeldClasses = "<neutral:0, surprise:1, fear:2, sadness:3, joy:4, disgust:5, anger:6>";

    public static TheoryData<BackboneFamily, PaperDataset, string> Prompts => new()
    {
        { BackboneFamily.ChatGLM3, PaperDataset.Mosei, "Please predict the sentiment intensity of the above multimodal content in the range [-3.0, 3.0]. response: The sentiment is" },
        { BackboneFamily.ChatGLM3, PaperDataset.SimsV2, "请对上述多模态内容的情感强度进行预测，范围在[-1.0, 1.0]之间。响应: 情感为" },
        { BackboneFamily.ChatGLM3, PaperDataset.Meld, "Please recognize the emotion of the above multimodal content from the target                                                 set " + MeldClasses + ". response: The emotion is" },
        { BackboneFamily.ChatGLM3, PaperDataset.Cherma, "请选择适用于上述多模态内容的情绪标签：<愤怒:0, 厌恶:1, 恐惧:2, 高兴:3, 平静:4, 悲伤:5, 惊奇:6>。响应: 情绪为" },
        { BackboneFamily.Qwen1, PaperDataset.Mosei, "Please predict the sentiment intensity of the above multimodal content in the range [-3.0, +3.0]. Assistant: The sentiment is" },
        { BackboneFamily.Qwen1, PaperDataset.SimsV2, "请对上述多模态内容的情感强度进行预测，范围在[-1.0, +1.0]之间。响应: 情感为" },
        { BackboneFamily.Qwen1, PaperDataset.Meld, "Please recognize the emotion of the above multimodal content from the                                             target set " + MeldClasses + ". Assistant: The emotion is" },
        { BackboneFamily.Qwen1, PaperDataset.Cherma, "请选择适用于上述多模态内容的情绪标签：<愤怒:0, 厌恶:1, 恐惧:2, 高兴:3, 平静:4, 悲伤:5, 惊奇:6>。助手: 情绪为" },
        { BackboneFamily.Llama2, PaperDataset.Mosei, "Please predict the sentiment intensity of the above multimodal content in the range [-3.0, +3.0]. Assistant: The sentiment is" },
        { BackboneFamily.Llama2, PaperDataset.SimsV2, "请对上述多模态内容的情感强度进行预测，范围在[-1.0, 1.0]之间。响应: 情感为" },
        { BackboneFamily.Llama2, PaperDataset.Meld, "Please recognize the emotion of the above multimodal content from the                                             target set " + MeldClasses + ". Assistant: The emotion is" },
        { BackboneFamily.Llama2, PaperDataset.Cherma, "请选择适用于上述多模态内容的情绪标签：<愤怒:0, 厌恶:1, 恐惧:2, 高兴:3, 平静:4, 悲伤:5, 惊奇:6>。助手: 情绪为" },
    };

    [Theory]
    [MemberData(nameof(Prompts))]
    public void TaskPrompt_EachBackboneAndDataset_IsTheConfigTextVerbatim(BackboneFamily family, PaperDataset dataset, string expected)
    {
        var profile = BackboneProfiles.For(family);
        Assert.Equal(expected, profile.TaskPrompt(dataset));
        Assert.Equal(new TextWithoutSpecialTokens(expected), profile.TaskPromptSegment(dataset));
    }

    [Theory]
    [InlineData(BackboneFamily.ChatGLM3, "target", "set", 49)]
    [InlineData(BackboneFamily.Qwen1, "the", "target", 45)]
    [InlineData(BackboneFamily.Llama2, "the", "target", 45)]
    public void TaskPrompt_Meld_KeepsTheLineContinuationSpaces(BackboneFamily family, string before, string after, int spaces)
    {
        var prompt = BackboneProfiles.For(family).TaskPrompt(PaperDataset.Meld);
        var runs = Regex.Matches(prompt, " {2,}");
        var run = Assert.Single(runs);
        Assert.Equal(spaces, run.Length);
        Assert.EndsWith(" " + before, prompt[..run.Index], StringComparison.Ordinal);
        Assert.StartsWith(after + " ", prompt[(run.Index + run.Length)..], StringComparison.Ordinal);
    }

    [Fact]
    public void TaskPrompt_MosiAndSims_AreTheirSiblingsPromptsAndLanguage()
    {
        foreach (var profile in BackboneProfiles.All)
        {
            Assert.Equal(profile.TaskPrompt(PaperDataset.Mosei), profile.TaskPrompt(PaperDataset.Mosi));
            Assert.Equal(profile.TaskPrompt(PaperDataset.SimsV2), profile.TaskPrompt(PaperDataset.Sims));
            Assert.Equal(profile.Prefix(PaperDataset.SimsV2), profile.Prefix(PaperDataset.Sims));
            Assert.Equal(profile.Prefix(PaperDataset.Mosei), profile.Prefix(PaperDataset.Mosi));
        }
    }

    [Fact]
    public void TaskPrompt_ChinesePrompts_UseFullWidthPunctuation()
    {
        foreach (var profile in BackboneProfiles.All)
        {
            var sims = profile.TaskPrompt(PaperDataset.SimsV2);
            Assert.Contains('\uff0c', sims); // ，
            Assert.Contains('\u3002', sims); // 。
            Assert.Contains("响应: ", sims, StringComparison.Ordinal);
            var cherma = profile.TaskPrompt(PaperDataset.Cherma);
            Assert.Contains("标签\uff1a<", cherma, StringComparison.Ordinal); // full-width colon, then ASCII inside <...>
            Assert.Contains(">\u3002", cherma, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(BackboneFamily.Llama2, PaperDataset.Mosei, 4)]
    [InlineData(BackboneFamily.Llama2, PaperDataset.SimsV2, 4)]
    [InlineData(BackboneFamily.Llama2, PaperDataset.Meld, 2)]
    [InlineData(BackboneFamily.Llama2, PaperDataset.Cherma, 2)]
    [InlineData(BackboneFamily.Qwen1, PaperDataset.Mosei, 4)]
    [InlineData(BackboneFamily.Qwen1, PaperDataset.Meld, 1)]
    [InlineData(BackboneFamily.Qwen1, PaperDataset.Cherma, 1)]
    [InlineData(BackboneFamily.ChatGLM3, PaperDataset.SimsV2, 4)]
    [InlineData(BackboneFamily.ChatGLM3, PaperDataset.Meld, 2)]
    public void MaxNewTokens_ByBackboneAndTask_MatchesTheConfigs(BackboneFamily family, PaperDataset dataset, int expected)
    {
        Assert.Equal(expected, PaperPresets.Get(family, dataset).MaxNewTokens);   // the one table generation reads
    }

    [Fact]
    public void Profiles_PadTokensAndLabelStyles_AreThoseOfTheOfficialCode()
    {
        Assert.Equal(TokenReference.ById(0), BackboneProfiles.For(BackboneFamily.Llama2).PadToken);
        Assert.Equal(TokenReference.ByName("<|endoftext|>"), BackboneProfiles.For(BackboneFamily.Qwen1).PadToken);
        Assert.Equal(TokenReference.ById(0), BackboneProfiles.For(BackboneFamily.ChatGLM3).PadToken);
        Assert.Equal(RegressionLabelStyle.OneDecimal, BackboneProfiles.For(BackboneFamily.Llama2).RegressionLabelStyle);
        Assert.Equal(RegressionLabelStyle.OneDecimalPlusForNonNegative, BackboneProfiles.For(BackboneFamily.Qwen1).RegressionLabelStyle);
        Assert.Equal(RegressionLabelStyle.OneDecimal, BackboneProfiles.For(BackboneFamily.ChatGLM3).RegressionLabelStyle);
        Assert.Equal(Enum.GetValues<BackboneFamily>(), BackboneProfiles.All.Select(p => p.Family));
    }

    [Fact]
    public void Prefix_EnglishDatasets_UseTheMultimodalTag()
    {
        PromptSegment[] llama = [new SpecialTokenEmbedding("<s>"), new TextWithSpecialTokens("<Multimodal>")];
        PromptSegment[] qwen = [new SpecialTokenEmbedding("<|im_start|>"), new TextWithSpecialTokens("<Multimodal>")];
        PromptSegment[] glm =
        [
            new SpecialTokenEmbedding("[gMASK]"), new SpecialTokenEmbedding("sop"),
            new TextWithoutSpecialTokens("{question}\n\n <Multimodal>"),
        ];
        Assert.Equal(llama, BackboneProfiles.For(BackboneFamily.Llama2).Prefix(PaperDataset.Mosei));
        Assert.Equal(qwen, BackboneProfiles.For(BackboneFamily.Qwen1).Prefix(PaperDataset.Meld));
        Assert.Equal(glm, BackboneProfiles.For(BackboneFamily.ChatGLM3).Prefix(PaperDataset.Mosei));
        foreach (var profile in BackboneProfiles.All)
        {
            Assert.Equal([new TextWithoutSpecialTokens("</Multimodal>")], profile.Suffix(PaperDataset.Meld));
        }
    }

    [Fact]
    public void Prefix_ChineseDatasets_UseTheChineseTag()
    {
        Assert.Equal(
            [new SpecialTokenEmbedding("<s>"), new TextWithSpecialTokens("<多模态>")],
            BackboneProfiles.For(BackboneFamily.Llama2).Prefix(PaperDataset.SimsV2));
        Assert.Equal(
            [new SpecialTokenEmbedding("[gMASK]"), new SpecialTokenEmbedding("sop"), new TextWithoutSpecialTokens("{问题}\n\n <多模态>")],
            BackboneProfiles.For(BackboneFamily.ChatGLM3).Prefix(PaperDataset.Cherma));
        foreach (var profile in BackboneProfiles.All)
        {
            Assert.Equal([new TextWithoutSpecialTokens("</多模态>")], profile.Suffix(PaperDataset.Cherma));
        }
    }

    [Fact]
    public void Prefix_Llama2WithARealTokenizer_StartsWithADoubledBos()
    {
        var dir = Directory.CreateTempSubdirectory("mselab-prefix-").FullName;
        try
        {
            var path = Path.Combine(dir, "tokenizer.json");
            BpeTokenizerTrainer.TrainToFile(TinyCorpus.Lines, 330, path);
            using var tokenizer = new HfJsonTokenizer(path);
            var profile = BackboneProfiles.For(BackboneFamily.Llama2);

            var ids = Assemble(profile.Prefix(PaperDataset.Mosei), tokenizer);

            Assert.Equal([1, 1, .. tokenizer.Encode("<Multimodal>", addSpecialTokens: false)], ids);
            Assert.Equal(0, profile.PadToken.Resolve(tokenizer));
            var ex = Assert.Throws<KeyNotFoundException>(() => BackboneProfiles.For(BackboneFamily.Qwen1).PadToken.Resolve(tokenizer));
            Assert.Contains("<|endoftext|>", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // What a data-driven assembler does with the segments: no code per backbone, only the interface.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "Written against the contract on purpose.")]
    private static int[] Assemble(IEnumerable<PromptSegment> segments, ITextTokenizer tokenizer) =>
    [
        .. segments.SelectMany(segment => segment switch
        {
            SpecialTokenEmbedding s => [tokenizer.TokenToId(s.Token)],
            TextWithSpecialTokens t => tokenizer.Encode(t.Text, addSpecialTokens: true),
            TextWithoutSpecialTokens t => tokenizer.Encode(t.Text, addSpecialTokens: false),
            _ => throw new InvalidOperationException($"Unknown segment {segment}"),
        }),
    ];
}
