using GistNotebooks.Cli.Infrastructure;
using static GistNotebooks.Cli.Tests.Gistnb;

namespace GistNotebooks.Cli.Tests.Infrastructure;

/// <summary>A mistyped command or option is named with the nearest one the command knows; a bare <c>gistnb</c> shows the help.</summary>
public class SuggestionsTests
{
    [Theory]
    [InlineData(new[] { "analyze", "km", "--dat", "x.csv", "--time", "t", "--event", "e" }, "did you mean '--data'?")]
    [InlineData(new[] { "analyse", "km" }, "did you mean 'analyze'?")]
    [InlineData(new[] { "analyze", "kmm", "--data", "x.csv" }, "did you mean 'km'?")]
    [InlineData(new[] { "reproduce", "--notebok", "x" }, "did you mean '--notebooks'?")]
    [InlineData(new[] { "analyze", "cox", "--data", "x.csv", "--time", "t", "--event", "e", "--covariates", "a", "--resiudals", "martingale" }, "did you mean '--residuals'?")]
    public void A_near_miss_is_suggested_on_the_one_error_line(string[] args, string expected)
    {
        var (exit, output, error) = Run(args);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void A_word_far_from_every_name_gets_no_suggestion()
    {
        var (exit, _, error) = Run("analyze", "km", "--colour", "x");

        Assert.Equal(2, exit);
        Assert.DoesNotContain("did you mean", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("--dat", "--data", 1)]
    [InlineData("", "abc", 3)]
    [InlineData("same", "same", 0)]
    public void Edit_distance_counts_insertions_deletions_and_substitutions(string a, string b, int expected)
    {
        Assert.Equal(expected, Suggestions.Distance(a, b));
        Assert.Equal(expected, Suggestions.Distance(b, a));
    }

    [Fact]
    public void Bare_gistnb_prints_the_help_with_every_command_and_the_exit_codes_and_exits_0()
    {
        var (exit, output, error) = Run();

        Assert.Equal(0, exit);
        Assert.Empty(error);
        foreach (var command in new[] { "analyze", "check", "reconstruct", "audit", "run", "reproduce", "new", "kernel" })
        {
            Assert.Contains("  " + command, output, StringComparison.Ordinal);
        }

        Assert.Contains("Exit codes: 0", output, StringComparison.Ordinal);
        Assert.Contains("70 a failure of the kit itself", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("analyze", "--help")]
    [InlineData("analyze", "km", "--help")]
    public void A_command_line_builds_only_the_command_it_names_yet_every_help_lists_every_command_beside_it(params string[] args)
    {
        var (exit, output, _) = Run(args);

        Assert.Equal(0, exit);
        var expected = args.Length switch
        {
            1 => new[] { "analyze", "check", "reconstruct", "audit", "reconstruct-curve", "run", "reproduce", "workers", "new", "export", "kernel" },
            2 => ["km", "logrank", "cox", "cif", "survreg", "finegray", "concordance"],
            _ => ["--data", "--time", "--event", "--group", "--format"],
        };
        foreach (var name in expected)
        {
            Assert.Contains("  " + name, output, StringComparison.Ordinal);
        }
    }
}
