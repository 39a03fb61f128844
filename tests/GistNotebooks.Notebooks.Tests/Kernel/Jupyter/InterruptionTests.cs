using GistNotebooks.Notebooks.Kernel.Jupyter;

namespace GistNotebooks.Notebooks.Tests.Kernel.Jupyter;

public sealed class InterruptionTests
{
    private const string Check = "global::GistNotebooks.Notebooks.Kernel.Jupyter.Interruption.ThrowIfRequested();";

    [Fact]
    public void Every_loop_body_starts_with_the_check_and_keeps_its_line()
    {
        const string code = "var n = 0;\nwhile (n < 3) { n++; }\nfor (var i = 0; i < 2; i++) n++;\nforeach (var x in new[] { 1 }) { }\ndo n--; while (n > 0);";

        var instrumented = Interruption.Instrument(code);

        Assert.Equal(
            "var n = 0;\n"
            + $"while (n < 3) {{ {Check} n++; }}\n"
            + $"for (var i = 0; i < 2; i++) {{ {Check} n++; }}\n"
            + $"foreach (var x in new[] {{ 1 }}) {{ {Check} }}\n"
            + $"do {{ {Check} n--; }} while (n > 0);",
            instrumented);
    }

    [Fact]
    public void Loops_inside_local_functions_and_lambdas_are_checked_too()
    {
        const string code = "int Count(int[] xs) { var c = 0; foreach (var x in xs) { c++; } return c; }\nFunc<int> f = () => { var k = 0; while (k < 1) { k++; } return k; };";

        var instrumented = Interruption.Instrument(code);

        Assert.Equal(2, instrumented.Split(Check).Length - 1);
    }

    [Fact]
    public void Code_that_does_not_parse_and_code_without_loops_are_left_as_they_are()
    {
        Assert.Equal("var x = ;", Interruption.Instrument("var x = ;"));
        Assert.Equal("#r \"nuget: Plotly.NET, 6.0.0\"\n1 + 1", Interruption.Instrument("#r \"nuget: Plotly.NET, 6.0.0\"\n1 + 1"));
        Assert.Equal($"#!csharp\nwhile (true) {{ {Check} }}", Interruption.Instrument("#!csharp\nwhile (true) { }"));
    }

    [Fact]
    public void The_check_throws_only_after_an_interrupt_and_until_the_next_cell()
    {
        Interruption.Reset();
        Interruption.ThrowIfRequested();

        Interruption.Request();
        Assert.Throws<OperationCanceledException>(Interruption.ThrowIfRequested);

        Interruption.Reset();
        Interruption.ThrowIfRequested();
    }
}
