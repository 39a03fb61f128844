using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Infrastructure;

/// <summary>The one place where a user's mistake becomes a one-line message with exit code 2.</summary>
public class CliConsoleTests
{
    [Theory]
    [InlineData("--time", "tme", "column 'tme': no such column")]
    [InlineData("--event", "status2", "column 'status2': no such column")]
    public void A_users_mistake_is_one_line_without_a_stack_trace(string option, string value, string expected)
    {
        var args = new List<string> { "analyze", "km", "--data", TestData.Reference("aml.csv"), "--time", "time", "--event", "event" };
        args[args.IndexOf(option) + 1] = value;

        var (exit, _, error) = Run([.. args]);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var (exit, _, error) = Run("analyze", "km", "--data", "no-such.csv", "--time", "time", "--event", "event");

        Assert.Equal(2, exit);
        Assert.Equal("gistnb: no-such.csv: the file does not exist", error.TrimEnd());
    }
}
