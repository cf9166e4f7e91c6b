using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using MseLab.Experiments.Backbones;
using MseLab.Models.Backbones;
using MseLab.Models.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;
using static TorchSharp.torch;

namespace MseLab.Cli.Commands;

/// <summary><c>mselab backbone logits</c>: the backbone's float32 logits for given token ids, for comparison with other implementations.</summary>
internal sealed class BackboneLogitsCommand : Command<BackboneLogitsCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--model <DIR>")]
        [Description("Hugging Face model directory (config.json + model.safetensors or sharded safetensors).")]
        public string Model { get; init; } = "";

        [CommandOption("--ids <IDS>")]
        [Description("Comma-separated token ids, e.g. 1,2,3.")]
        public string Ids { get; init; } = "";

        [CommandOption("--json")]
        [Description("Print {\"logits\": [[...], ...]} with one row per position.")]
        public bool Json { get; init; }

        [CommandOption("--device <DEVICE>")]
        [Description("cpu (default), cuda or cuda:N.")]
        [DefaultValue("cpu")]
        public string Device { get; init; } = "cpu";

        [CommandOption("--dtype <DTYPE>")]
        [Description("fp32 (default), fp16 or bf16: the dtype the weights are loaded in and computed with (logits are printed as float32).")]
        [DefaultValue("fp32")]
        public string DType { get; init; } = "fp32";

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Model))
            {
                return ValidationResult.Error("--model DIR is required.");
            }

            if (ParseDType(DType) is null)
            {
                return ValidationResult.Error($"--dtype '{DType}' is not fp32, fp16 or bf16.");
            }

            return ParseIds(Ids) is null ? ValidationResult.Error($"--ids '{Ids}' must be comma-separated non-negative integers, e.g. --ids 1,2,3.") : ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        TorchRuntime.Initialize();
        var device = TorchRuntime.ParseDevice(settings.Device);
        var ids = ParseIds(settings.Ids)!;
        using var model = BackboneLoader.Load(settings.Model, BackboneFamilies.Detect(settings.Model), ParseDType(settings.DType)!.Value, device);
        var outOfRange = ids.FirstOrDefault(id => id >= model.VocabSize, -1);
        if (outOfRange >= 0)
        {
            throw new ArgumentException($"--ids: token id {outOfRange} is outside the vocabulary (vocab_size {model.VocabSize}).");
        }

        using var noGrad = no_grad();
        using var logits = model.Forward(model.EmbedTokens(tensor(ids, device: device).unsqueeze(0)));   // (1, T, V)
        var rows = logits[0].cpu().data<float>().ToArray().Chunk(model.VocabSize).ToArray();
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { logits = rows }));
            return 0;
        }

        var table = new Table().AddColumns("position", "token id", "argmax", "max logit");
        for (var i = 0; i < rows.Length; i++)
        {
            var best = Array.IndexOf(rows[i], rows[i].Max());
            table.AddRow(i.ToString(CultureInfo.InvariantCulture), ids[i].ToString(CultureInfo.InvariantCulture), best.ToString(CultureInfo.InvariantCulture), rows[i][best].ToString("G6", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        return 0;
    }

    private static ScalarType? ParseDType(string text) => text.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" => ScalarType.Float32,
        "fp16" or "float16" => ScalarType.Float16,
        "bf16" or "bfloat16" => ScalarType.BFloat16,
        _ => null,
    };

    private static long[]? ParseIds(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var ids = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out ids[i]))
            {
                return null;
            }
        }

        return ids.Length == 0 ? null : ids;
    }
}
