using System.Text.Json;
using GistNotebooks.Notebooks.Kernel.Jupyter;

namespace GistNotebooks.Notebooks.Tests.Kernel.Jupyter;

/// <summary>
/// The kit's Jupyter kernel as jupyter_client sees it: one kernel started from the installed kernelspec, sent the
/// requests of <c>jupyter_client_driver.py session</c>, then interrupted, sent forged messages and shut down.
/// </summary>
public sealed class JupyterKernelHostTests(JupyterSession session) : IClassFixture<JupyterSession>
{
    private JsonElement Report => session.Report;

    private static IEnumerable<JsonElement> Outputs(JsonElement run, string messageType) =>
        run.GetProperty("outputs").EnumerateArray().Where(o => o.GetProperty("msg_type").GetString() == messageType).Select(o => o.GetProperty("content"));

    [Fact]
    public void Install_writes_a_kernelspec_in_Jupyters_layout_and_says_how_to_remove_it()
    {
        Assert.True(session.InstallExitCode == 0, session.InstallOutput);
        using var spec = JsonDocument.Parse(File.ReadAllText(Path.Combine(session.KernelSpecFolder, "kernel.json")));
        var root = spec.RootElement;
        Assert.Equal(".NET (C#) — GistNotebooks", root.GetProperty("display_name").GetString());
        Assert.Equal("C#", root.GetProperty("language").GetString());
        Assert.Equal("message", root.GetProperty("interrupt_mode").GetString());
        var argv = root.GetProperty("argv").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal(["kernel", "jupyter", "--connection-file", "{connection_file}"], argv[^4..]);
        Assert.EndsWith("gistnb.dll", argv[1], StringComparison.Ordinal);
        Assert.Contains($"jupyter kernelspec uninstall {JupyterKernelSpec.DefaultName}", session.InstallOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Kernel_info_names_the_protocol_version_and_CSharp()
    {
        var info = Report.GetProperty("kernel_info");

        Assert.Equal("ok", info.GetProperty("status").GetString());
        Assert.Equal("5.3", info.GetProperty("protocol_version").GetString());
        Assert.Equal("C#", info.GetProperty("language_info").GetProperty("name").GetString());
        Assert.Equal(".cs", info.GetProperty("language_info").GetProperty("file_extension").GetString());
    }

    [Fact]
    public void A_cell_reports_busy_its_input_its_result_with_the_execution_count_then_idle()
    {
        var run = Report.GetProperty("first");

        Assert.Equal("ok", run.GetProperty("reply").GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("reply").GetProperty("execution_count").GetInt32());
        Assert.Equal(["status", "execute_input", "execute_result", "status"], run.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("msg_type").GetString()));
        var result = Assert.Single(Outputs(run, "execute_result"));
        Assert.Equal(1, result.GetProperty("execution_count").GetInt32());
        Assert.Equal("2", result.GetProperty("data").GetProperty("text/plain").GetString());
        Assert.Equal(["busy", "idle"], Outputs(run, "status").Select(s => s.GetProperty("execution_state").GetString()));
    }

    [Fact]
    public void Standard_output_displays_and_the_last_value_arrive_as_stream_display_data_and_execute_result()
    {
        var run = Report.GetProperty("outputs");

        Assert.Equal(2, run.GetProperty("reply").GetProperty("execution_count").GetInt32());
        var stream = Assert.Single(Outputs(run, "stream"));
        Assert.Equal("stdout", stream.GetProperty("name").GetString());
        Assert.Equal("to stdout\n", stream.GetProperty("text").GetString());
        Assert.Equal("shown", Assert.Single(Outputs(run, "display_data")).GetProperty("data").GetProperty("text/plain").GetString());
        Assert.Equal("last value", Assert.Single(Outputs(run, "execute_result")).GetProperty("data").GetProperty("text/plain").GetString());
    }

    [Fact]
    public void An_exception_arrives_as_an_error_with_its_type_and_message_and_an_error_reply()
    {
        var run = Report.GetProperty("error");

        var reply = run.GetProperty("reply");
        Assert.Equal("error", reply.GetProperty("status").GetString());
        Assert.Equal("InvalidOperationException", reply.GetProperty("ename").GetString());
        Assert.Equal("no cohort", reply.GetProperty("evalue").GetString());
        var error = Assert.Single(Outputs(run, "error"));
        Assert.Contains("no cohort", error.GetProperty("traceback")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_compilation_error_names_the_position_and_the_compiler_message()
    {
        var reply = Report.GetProperty("compile_error").GetProperty("reply");

        Assert.Equal("error", reply.GetProperty("status").GetString());
        Assert.Contains("(1,9): error CS1525", reply.GetProperty("evalue").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_chart_arrives_as_a_plotly_mime_bundle_with_its_html_and_a_text_line()
    {
        var run = Report.GetProperty("chart");

        Assert.Equal("ok", run.GetProperty("reply").GetProperty("status").GetString());
        var data = Assert.Single(Outputs(run, "execute_result")).GetProperty("data");
        var figure = data.GetProperty(MimeBundle.PlotlyMimeType);
        var trace = Assert.Single(figure.GetProperty("data").EnumerateArray());
        Assert.Equal("scatter", trace.GetProperty("type").GetString());
        Assert.Equal([100, 64, 34], trace.GetProperty("y").EnumerateArray().Select(y => y.GetInt32()));
        Assert.Equal(JsonValueKind.Object, figure.GetProperty("layout").ValueKind);
        Assert.Contains("Plotly.newPlot", data.GetProperty("text/html").GetString(), StringComparison.Ordinal);
        Assert.Equal("Plotly chart: 1 trace (scatter)", data.GetProperty("text/plain").GetString());
    }

    [Fact]
    public void Is_complete_asks_for_more_after_an_open_brace()
    {
        var replies = Report.GetProperty("is_complete");

        Assert.Equal("complete", replies.GetProperty("var a = 1;").GetProperty("status").GetString());
        Assert.Equal("incomplete", replies.GetProperty("if (a > 0) {").GetProperty("status").GetString());
        Assert.Equal("complete", replies.GetProperty("#!csharp\nvar b = 2;").GetProperty("status").GetString());
    }

    [Fact]
    public void Completion_offers_the_members_of_a_variable_from_the_CSharp_kernel_and_replaces_the_typed_prefix()
    {
        // "var survival = 0.637;\nsurvival.ToStr": the prefix ToStr starts at code point 31 and the cursor is at 36.
        var reply = Report.GetProperty("complete");

        Assert.Equal("ok", reply.GetProperty("status").GetString());
        Assert.Contains("ToString()", reply.GetProperty("matches").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(31, reply.GetProperty("cursor_start").GetInt32());
        Assert.Equal(36, reply.GetProperty("cursor_end").GetInt32());
    }

    [Fact]
    public void Inspect_shows_the_signature_and_documentation_under_the_cursor()
    {
        var reply = Report.GetProperty("inspect");

        Assert.True(reply.GetProperty("found").GetBoolean());
        Assert.Contains("Math.Sqrt(double d)", reply.GetProperty("data").GetProperty("text/plain").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrongly_signed_or_unsigned_message_is_ignored_and_a_signed_one_still_answered()
    {
        foreach (var forged in new[] { "forged_wrong_key", "forged_unsigned" })
        {
            Assert.Equal(0, Report.GetProperty(forged).GetProperty("replies").GetInt32());
            Assert.Equal(0, Report.GetProperty(forged).GetProperty("iopub").GetInt32());
        }

        var after = Report.GetProperty("after_forged");
        Assert.Equal("ok", after.GetProperty("reply").GetProperty("status").GetString());

        // The forged cells never ran: the execution count moved on by one from the previous signed cell.
        Assert.Equal(Report.GetProperty("chart").GetProperty("reply").GetProperty("execution_count").GetInt32() + 1, after.GetProperty("reply").GetProperty("execution_count").GetInt32());
    }

    [Fact]
    public void An_interrupt_stops_a_looping_cell_frees_the_processor_and_the_kernel_runs_the_next_cell()
    {
        var reply = Report.GetProperty("interrupted").GetProperty("reply");

        Assert.Equal("error", reply.GetProperty("status").GetString());
        Assert.Equal("Interrupted", reply.GetProperty("ename").GetString());
        Assert.InRange(Report.GetProperty("interrupt_seconds").GetDouble(), 2.5, 30);

        // The loop's thread stopped too: two idle seconds cost the kernel well under one second of processor time (a
        // spinning loop takes about two on an idle machine; background compilation and collection take some on a busy
        // one, so this bound is coarse), and the next cell sees the loop's counter standing still over 1.5 s.
        Assert.InRange(Report.GetProperty("idle_cpu_seconds").GetDouble(), 0, 1.0);
        var next = Report.GetProperty("after_interrupt");
        Assert.Equal("ok", next.GetProperty("reply").GetProperty("status").GetString());
        Assert.Equal("True", Assert.Single(Outputs(next, "execute_result")).GetProperty("data").GetProperty("text/plain").GetString());
    }

    [Fact]
    public void Shutdown_ends_the_kernel_by_itself_and_leaves_no_process_behind()
    {
        Assert.Equal(0, Report.GetProperty("exit_code").GetInt32());
        Assert.InRange(Report.GetProperty("shutdown_seconds").GetDouble(), 0, 4.5);
        Assert.Empty(Report.GetProperty("left_alive").EnumerateArray());
    }
}
