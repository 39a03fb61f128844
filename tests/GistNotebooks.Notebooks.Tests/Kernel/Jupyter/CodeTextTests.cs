using GistNotebooks.Notebooks.Kernel.Jupyter;

namespace GistNotebooks.Notebooks.Tests.Kernel.Jupyter;

public sealed class CodeTextTests
{
    [Fact]
    public void Jupyter_counts_code_points_and_the_kernel_counts_lines_and_UTF16_columns()
    {
        // "😀" is one code point and two UTF-16 units. Code points: 0 '"', 1 '😀', 2 '"', 3 ';', 4 newline, 5 'x',
        // 6 '.', 7 'Y'; so code point 5 is line 1, column 0 and code point 7 is line 1, column 2.
        const string code = "\"😀\";\nx.Y";

        var position = CodeText.ToLinePosition(code, 5);

        Assert.Equal(1, position.Line);
        Assert.Equal(0, position.Character);
        Assert.Equal(5, CodeText.ToCodePoints(code, 1, 0));
        Assert.Equal(7, CodeText.ToCodePoints(code, 1, 2));
        Assert.Equal((1, 2), (CodeText.ToLinePosition(code, 7).Line, CodeText.ToLinePosition(code, 7).Character));
    }

    [Fact]
    public void A_code_point_after_a_surrogate_pair_sits_two_UTF16_columns_on()
    {
        var position = CodeText.ToLinePosition("\"😀x", 2);

        Assert.Equal(0, position.Line);
        Assert.Equal(3, position.Character);
    }

    [Theory]
    [InlineData("var a = 1;", true)]
    [InlineData("", true)]
    [InlineData("if (a > 0) {", false)]
    [InlineData("var s = \"\"\"\nopen raw string", false)]
    [InlineData("#!csharp\nvar b = 2;", true)]
    public void A_submission_is_complete_unless_a_brace_or_string_is_open(string code, bool complete)
    {
        Assert.Equal(complete, CodeText.IsCompleteSubmission(code));
    }
}
