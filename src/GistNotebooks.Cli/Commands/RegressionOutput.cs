using System.CommandLine;
using GistNotebooks.Cli.Infrastructure;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Cli.Commands;

/// <summary>The options every regression command (cox, survreg, finegray) takes to name its model terms.</summary>
internal sealed class RegressionOptions
{
    public Option<string> Covariates { get; } = new("--covariates") { Description = "Covariate columns, separated by commas. Non-numeric columns are factors.", Required = true };

    public Option<string[]> Reference { get; } = new("--reference") { Description = "Baseline level of a factor, as column=level (repeatable).", AllowMultipleArgumentsPerToken = true };

    public void AddTo(Command command)
    {
        command.Options.Add(Covariates);
        command.Options.Add(Reference);
    }

    /// <summary>The covariate columns named by <c>--covariates</c>.</summary>
    public string[] Names(ParseResult parse) => parse.GetValue(Covariates)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The baseline levels named by <c>--reference</c>.</summary>
    public IReadOnlyDictionary<string, string> References(ParseResult parse) => ReferenceLevels.Parse(parse.GetValue(Reference));
}

/// <summary>
/// How a regression command prints its fitted model: the model's own text table (and any additions after it), or one
/// JSON object whose common parts (rows left out, convergence, each coefficient, warnings) are written here.
/// </summary>
internal static class RegressionOutput
{
    /// <summary>Writes the JSON object when <c>--format json</c> was given, otherwise the text table and then <paramref name="textAdditions"/>.</summary>
    public static void Print(TextWriter output, bool json, string text, Action<JsonOutput> writeJson, Action<TextWriter>? textAdditions = null)
    {
        if (json)
        {
            JsonOutput.Write(output, writeJson);
            return;
        }

        output.WriteLine(text);
        textAdditions?.Invoke(output);
    }

    /// <summary>The keys <c>droppedRows</c>, <c>converged</c> and <c>iterations</c>, in that order.</summary>
    public static void Fit(JsonOutput json, IEnumerable<int> droppedRows, bool converged, int iterations)
    {
        json.Writer.WriteStartArray("droppedRows");
        foreach (var row in droppedRows)
        {
            json.Writer.WriteNumberValue(row);
        }

        json.Writer.WriteEndArray();
        json.Writer.WriteBoolean("converged", converged);
        json.Integer("iterations", iterations);
    }

    /// <summary>
    /// One coefficient's keys: <c>term</c>, <c>coefficient</c>, <c>standardError</c>, what <paramref name="afterStandardError"/>
    /// adds, then <c>hazardRatio</c>, <c>lower</c> and <c>upper</c> when <paramref name="hazardRatio"/> is given, then <c>z</c> and <c>p</c>.
    /// </summary>
    public static void Coefficient(JsonOutput json, string term, double? coefficient, double? standardError, double? z, double? p, (double? Ratio, double? Lower, double? Upper)? hazardRatio = null, Action? afterStandardError = null)
    {
        json.Text("term", term);
        json.Number("coefficient", coefficient);
        json.Number("standardError", standardError);
        afterStandardError?.Invoke();
        if (hazardRatio is var (ratio, lower, upper))
        {
            json.Number("hazardRatio", ratio);
            json.Number("lower", lower);
            json.Number("upper", upper);
        }

        json.Number("z", z);
        json.Number("p", p);
    }

    /// <summary>The closing <c>warnings</c> array.</summary>
    public static void Warnings(JsonOutput json, IEnumerable<string> warnings)
    {
        json.Writer.WriteStartArray("warnings");
        foreach (var warning in warnings)
        {
            json.Writer.WriteStringValue(warning);
        }

        json.Writer.WriteEndArray();
    }
}
