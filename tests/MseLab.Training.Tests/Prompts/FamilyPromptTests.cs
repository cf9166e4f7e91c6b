using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Models.Prompting;
using MseLab.Models.Tokenization;
using MseLab.Training.Prompts;

namespace MseLab.Training.Tests.Prompts;

/// <summary>
/// The spec's prompt layouts (section 1.6) resolved through the real tokenizer files of Qwen-1 and ChatGLM3 (trained
/// small here): the special ids come from where each tokenizer numbers its specials, not from a look-up by name.
/// </summary>
public sealed class FamilyPromptTests : IDisposable
{
    private static readonly string[] Corpus =
    [
        "<Multimodal> </Multimodal> {question}", "Please predict the sentiment intensity of the above multimodal content",
        "in the range [-3.0, +3.0]. Assistant: The sentiment is +1.0 -2.3 0.0", "response: The emotion is 0 1 2 3 4 5 6",
        "Please recognize the emotion of the above multimodal content from the target set", "neutral surprise fear joy anger",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-family-prompts-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Build_ChatGlm3_PrefixIsGMaskSopThenTheUnformattedQuestionAndTag()
    {
        var path = Path.Combine(_dir, ChatGlm3Tokenizer.FileName);
        SentencePieceBpeTrainer.TrainToFile(Enumerable.Repeat(Corpus, 20).SelectMany(c => c), 400, path);
        using var tokenizer = new ChatGlm3Tokenizer(path);
        var pieces = tokenizer.VocabSize - 9;   // [MASK] [gMASK] [sMASK] sop eop and the four role tokens follow the pieces

        var template = PromptTemplates.Build(BackboneProfiles.For(BackboneFamily.ChatGLM3), tokenizer, PaperDataset.Mosei);

        Assert.Equal([pieces + 1, pieces + 3, .. tokenizer.Encode("{question}\n\n <Multimodal>", addSpecialTokens: false)], template.PrefixIds);
        Assert.Equal(
            [.. tokenizer.Encode("</Multimodal>", addSpecialTokens: false), .. tokenizer.Encode(BackboneProfiles.For(BackboneFamily.ChatGLM3).TaskPrompt(PaperDataset.Mosei), addSpecialTokens: false)],
            template.SuffixIds);
        Assert.Equal(0, template.PadId);
        Assert.Equal([pieces + 1, pieces + 3], tokenizer.Encode("", addSpecialTokens: true));
    }

    [Fact]
    public void Build_Qwen1_PrefixIsImStartThenTheTagAndPadIsEndOfText()
    {
        var path = Path.Combine(_dir, QwenTiktokenFile.FileName);
        QwenTiktokenTrainer.TrainToFile(Enumerable.Repeat(Corpus, 20).SelectMany(c => c), 400, path);
        using var tokenizer = new QwenTokenizer(path);
        var ranks = tokenizer.VocabSize - QwenTokenizer.SpecialTokenCount;   // <|endoftext|> <|im_start|> <|im_end|> follow the ranks

        var template = PromptTemplates.Build(BackboneProfiles.For(BackboneFamily.Qwen1), tokenizer, PaperDataset.Meld, pseudoTokens: 2);

        Assert.Equal([ranks + 1, .. tokenizer.Encode("<Multimodal>", addSpecialTokens: true)], template.PrefixIds);
        Assert.Equal(ranks, template.PadId);
        Assert.DoesNotContain(ranks, tokenizer.Encode("<Multimodal>", addSpecialTokens: true));   // Qwen adds no BOS
        Assert.Equal([ranks], tokenizer.Encode("<|endoftext|>", addSpecialTokens: false));       // special text is recognised
    }
}
