using System.Text.Json;
using MseLab.Experiments.Backbones;
using MseLab.Models.Qwen;
using MseLab.Models.Tokenization;

namespace MseLab.Training.TinyBackbone;

/// <summary>
/// A tiny Qwen-1 in the real Qwen/Qwen-1_8B layout: a byte-level <c>qwen.tiktoken</c> (208 specials after the ranks), a
/// config.json with <c>auto_map</c> and the padded vocabulary, dynamic NTK and logn attention on (as released).
/// </summary>
internal sealed class TinyQwen : TinyFamily
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public override BackboneFamily Family => BackboneFamily.Qwen1;

    public override void WriteTokenizer(string directory, IEnumerable<string> corpus, TinyBackboneOptions options)
    {
        QwenTiktokenTrainer.TrainToFile(corpus, options.VocabSize, Path.Combine(directory, QwenTiktokenFile.FileName));
        RemoteTokenizerConfigs.Write(directory, RemoteTokenizerConfigs.Qwen());
    }

    public override TinyModel CreateModel(int tokenizerVocab, TinyBackboneOptions options)
    {
        var endOfText = tokenizerVocab - QwenTokenizer.SpecialTokenCount;   // the first special, right after the ranks
        // The real config pads 151,851 tokenizer ids to 151,936 embedding rows; pad to a multiple of 64 likewise.
        // Qwen counts both SwiGLU branches in intermediate_size. Epsilon, rotary base and biases are the released defaults.
        var config = QwenConfig.Qwen1Like(
            vocab: (tokenizerVocab + 63) / 64 * 64,
            hidden: options.HiddenSize,
            heads: options.Heads,
            kvChannels: options.HiddenSize / options.Heads,
            intermediate: 2 * options.IntermediateSize,
            layers: options.Layers,
            seqLength: 512);
        var generation = new { eos_token_id = endOfText, pad_token_id = endOfText, do_sample = false };
        return TinyModel.Of(new QwenForCausalLM(config), path =>
        {
            config.Save(path);
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(path)!, "generation_config.json"), JsonSerializer.Serialize(generation, Json));
        });
    }
}
