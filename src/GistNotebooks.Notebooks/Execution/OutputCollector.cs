using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace GistNotebooks.Notebooks.Execution;

/// <summary>Turns a notebook's kernel events into cell outputs, keeping displays that are updated in place.</summary>
/// <remarks>
/// Standard output and error are gathered in a buffer per stream, so a cell that prints in many small pieces costs
/// time in proportion to what it prints; what a cell prints beyond <see cref="MaximumStreamCharacters"/> is counted
/// but not kept, and a note at the end of the output says how much was left out.
/// </remarks>
internal sealed class OutputCollector
{
    /// <summary>The most characters of standard output and error kept per cell (about 4 MB of text).</summary>
    public const int MaximumStreamCharacters = 4_000_000;

    private readonly StringBuilder openStream = new();
    private string? openStreamName;
    private int openStreamIndex = -1;
    private long keptCharacters;
    private long droppedCharacters;

    // In Microsoft.DotNet.Interactive 1.0.0-beta.26120.1 the handle that display() returns carries another id than
    // the DisplayedValueProduced event it caused, so an update never names the display it updates. An update with an
    // unknown id is therefore bound to the latest display not yet bound, preferring one whose value has the update's
    // type; later updates with that id follow the binding.
    private readonly Dictionary<string, string> boundUpdateIds = new(StringComparer.Ordinal);
    private readonly List<(string ValueId, Type? ValueType)> unboundDisplays = [];

    /// <summary>How many events have been collected: a snapshot taken at one count is current until it changes.</summary>
    public long Collected { get; private set; }

    /// <summary>
    /// The running cell's outputs as they stand, the stream still being written included, without closing it: what a
    /// cell has shown so far survives the cell being stopped (a time limit, the end of its process).
    /// </summary>
    public ImmutableArray<CellOutput> Snapshot(List<CellOutput> outputs)
    {
        var copy = outputs.ToArray();
        if (openStreamIndex >= 0 && openStreamIndex < copy.Length)
        {
            copy[openStreamIndex] = copy[openStreamIndex] with { Text = openStream.ToString() };
        }

        return [.. copy];
    }

    /// <summary>Adds what an event contributes to the running cell's outputs; returns the error message when the event is the cell's failure.</summary>
    public string? Collect(KernelEvent kernelEvent, List<CellOutput> outputs, List<ExecutedCell> earlier)
    {
        Collected++;
        switch (kernelEvent)
        {
            case StandardOutputValueProduced s:
                AppendStream(outputs, "stdout", PlainText(s.FormattedValues));
                return null;
            case StandardErrorValueProduced s:
                AppendStream(outputs, "stderr", PlainText(s.FormattedValues));
                return null;
            case DisplayedValueUpdated u:
                Update(outputs, earlier, u);
                return null;
            case ReturnValueProduced r when r.FormattedValues.Any(v => !v.SuppressDisplay):
                outputs.Add(Display(OutputKind.Result, r, r.ValueId));
                return null;
            case DisplayedValueProduced d:
                outputs.Add(Display(OutputKind.Display, d, d.ValueId));
                if (d.ValueId is not null)
                {
                    unboundDisplays.Add((d.ValueId, d.Value?.GetType()));
                }

                return null;
            case CommandFailed f when f.Command is SubmitCode:
                var message = f.Exception is { } ex and not CodeSubmissionCompilationErrorException
                    ? $"{ex.GetType().Name}: {ex.Message}"
                    : f.Message;
                outputs.Add(CellOutput.Error(f.Exception?.GetType().Name ?? "CompilationError", message));
                return message;
            default:
                return null;
        }
    }

    /// <summary>
    /// Writes the stream text gathered so far into its output, with a note when some was left out; call when the cell
    /// has ended, before its outputs are read. The next cell starts with a fresh allowance.
    /// </summary>
    public void Flush(List<CellOutput> outputs)
    {
        CloseStream(outputs);
        if (droppedCharacters > 0)
        {
            var note = string.Create(CultureInfo.InvariantCulture, $"\n[gistnb: the cell printed {keptCharacters + droppedCharacters:N0} characters; only the first {keptCharacters:N0} are kept, {droppedCharacters:N0} were left out.]\n");
            outputs.Add(CellOutput.Stream("stderr", note));
        }

        keptCharacters = 0;
        droppedCharacters = 0;
    }

    private void CloseStream(List<CellOutput> outputs)
    {
        if (openStreamIndex >= 0 && openStreamIndex < outputs.Count)
        {
            outputs[openStreamIndex] = outputs[openStreamIndex] with { Text = openStream.ToString() };
        }

        openStream.Clear();
        openStreamName = null;
        openStreamIndex = -1;
    }

    private void Update(List<CellOutput> outputs, List<ExecutedCell> earlier, DisplayedValueUpdated update)
    {
        var updateId = update.ValueId ?? string.Empty;
        if (!boundUpdateIds.TryGetValue(updateId, out var targetId))
        {
            var known = Find(outputs, earlier, updateId) is not null;
            targetId = known ? updateId : Bind(update.Value?.GetType());
            boundUpdateIds[updateId] = targetId ?? updateId;
        }

        targetId ??= updateId;
        var replacement = Display(OutputKind.Display, update, targetId);
        switch (Find(outputs, earlier, targetId))
        {
            case (null, int index):
                outputs[index] = replacement;
                break;
            case (int cell, int index):
                // A display shown by an earlier cell can be updated by a later one; it stays where it was shown.
                earlier[cell] = earlier[cell] with { Outputs = earlier[cell].Outputs.SetItem(index, replacement) };
                break;
            default:
                outputs.Add(replacement);
                break;
        }
    }

    private string? Bind(Type? valueType)
    {
        if (unboundDisplays.Count == 0)
        {
            return null;
        }

        var at = unboundDisplays.FindLastIndex(d => d.ValueType == valueType);
        if (at < 0)
        {
            at = unboundDisplays.Count - 1;
        }

        var id = unboundDisplays[at].ValueId;
        unboundDisplays.RemoveAt(at);
        return id;
    }

    private static (int? Cell, int Index)? Find(List<CellOutput> outputs, List<ExecutedCell> earlier, string valueId)
    {
        var index = outputs.FindIndex(o => o.ValueId == valueId);
        if (index >= 0)
        {
            return (null, index);
        }

        for (var cell = earlier.Count - 1; cell >= 0; cell--)
        {
            var cellOutputs = earlier[cell].Outputs;
            for (var i = 0; i < cellOutputs.Length; i++)
            {
                if (cellOutputs[i].ValueId == valueId)
                {
                    return (cell, i);
                }
            }
        }

        return null;
    }

    /// <summary>A display or result: each formatted value by its MIME type, and a chart also as its plotly.js figure.</summary>
    private static CellOutput Display(OutputKind kind, DisplayEvent display, string? valueId)
    {
        var data = display.FormattedValues
            .Where(v => !v.SuppressDisplay)
            .GroupBy(v => v.MimeType, StringComparer.Ordinal)
            .ToImmutableDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        if (PlotlyFigure.Json(display.Value) is { } figure)
        {
            data = data.SetItem(PlotlyFigure.MimeType, figure);
        }

        return new CellOutput(kind, data, string.Empty, string.Empty, valueId);
    }

    private void AppendStream(List<CellOutput> outputs, string name, string text)
    {
        var room = MaximumStreamCharacters - keptCharacters;
        if (room <= 0)
        {
            droppedCharacters += text.Length;
            return;
        }

        if (text.Length > room)
        {
            droppedCharacters += text.Length - room;
            text = text[..(int)room];
        }

        keptCharacters += text.Length;
        if (openStreamIndex != outputs.Count - 1 || openStreamName != name)
        {
            CloseStream(outputs);
            outputs.Add(CellOutput.Stream(name, string.Empty));
            openStreamIndex = outputs.Count - 1;
            openStreamName = name;
        }

        openStream.Append(text);
    }

    private static string PlainText(IReadOnlyCollection<FormattedValue> values) =>
        values.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? values.FirstOrDefault()?.Value ?? string.Empty;
}
