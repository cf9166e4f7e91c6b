using MseLab.Experiments.Datasets;
using MseLab.Models.Prompting;
using MseLab.Training.Data.Synthetic;

namespace MseLab.Training.TinyBackbone;

/// <summary>
/// The generated pretraining corpus of a tiny backbone: utterances in exactly the MSE-Adapter prompt layout of the
/// backbone's profile (MOSEI and MELD prompts), where a cue word fills the P pseudo-token slots and determines the label.
/// A frozen model pretrained this way reads a label from whatever sits in those slots, which is what the adapter
/// learns to write there.
/// </summary>
public sealed class TinyCorpus(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>One pretraining example: the cue word, label-free text, and the label value.</summary>
    public sealed record Example(PaperDataset Dataset, string Cue, string Text, float Label);

    public Example Next(PaperDataset dataset)
    {
        var text = string.Join(' ', Enumerable.Range(0, _random.Next(6, 15)).Select(_ => SyntheticVocabulary.Filler[_random.Next(SyntheticVocabulary.Filler.Count)]));
        if (dataset == PaperDataset.Meld)
        {
            var cls = _random.Next(SyntheticVocabulary.EmotionCues.Count);
            return new Example(dataset, SyntheticVocabulary.EmotionCues[cls], text, cls);
        }

        var cue = _random.Next(SyntheticVocabulary.IntensityCues.Count);
        var level = SyntheticVocabulary.IntensityLevel(cue);
        var label = Math.Clamp(level + (float)((_random.NextDouble() * 0.4) - 0.2), -3f, 3f);
        return new Example(dataset, SyntheticVocabulary.IntensityCues[cue], text, label);
    }

    /// <summary>Text for training the tokenizer: every word, prompt and label form the model will see.</summary>
    public IEnumerable<string> TokenizerCorpus(BackboneProfile profile, int examples)
    {
        yield return profile.TaskPrompt(PaperDataset.Mosei);
        yield return profile.TaskPrompt(PaperDataset.Meld);
        yield return "<Multimodal> </Multimodal>";
        foreach (var cue in SyntheticVocabulary.IntensityCues.Concat(SyntheticVocabulary.EmotionCues))
        {
            for (var i = 0; i < 20; i++)
            {
                yield return cue;
            }
        }

        for (var i = 0; i < examples; i++)
        {
            var example = Next(i % 2 == 0 ? PaperDataset.Mosei : PaperDataset.Meld);
            yield return example.Text;
            yield return LabelText.Format(example.Label, profile.Family, example.Dataset == PaperDataset.Meld);
        }
    }
}
