using System.Globalization;
using System.Text;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Tests.Data;

/// <summary>
/// A file read on two threads (one splitting the text, one filling the columns) gives the same table, or the same
/// refusal, as the same file read on one: every column's kind, every cell's text, every missing mark and every source
/// row, on files shaped to reach the faults and the column decisions, and on files long enough for many batches.
/// </summary>
public sealed class ParallelCsvReadTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("gistnb-parallel-read-").FullName;

    public static TheoryData<string, string> Files() => new()
    {
        { "plain", "time,status,arm\n1.5,1,a\n2,0,b\n3.25,1,a\n" },
        { "blank lines and CRLF", "time,status\r\n\r\n1,1\r\n\r\n2,0\r\n3,1\r\n" },
        { "quoted cells", "name,time\n\"a, b\",1\n\"say \"\"hi\"\"\",2\n  \"c\" ,3\n" },
        { "cell over lines", "name,time\n\"line one\nline two\",1\nplain,2\n" },
        { "numbers turn to labels late", "x,y\n1,2\n3,4\nfive,6\n7,8\n" },
        { "missing values", "x,y\n1,NA\n,2\nNA,\n4,5\n" },
        { "source texts kept", "x,y\n1.0,1e5\n2.50,+3\n007,-0\n" },
        { "semicolons and decimal commas", "time;status\n1,5;1\n2,25;0\n" },
        { "ambiguous point", "time;status\n1,5;1\n1.234;0\n" },
        { "ragged row", "a,b\n1,2\n3\n4,5\n" },
        { "unclosed quote", "a,b\n1,\"2\n3,4\n" },
        { "quote in unquoted field", "a,b\n1,x\"y,z\"\n" },
        { "header only", "a,b\n" },
        { "repeated header", "a,a\n1,2\n" },
        { "binary", "a,b\n1,\0\n" },
        { "spaces around fields", "time , status,arm\n 1.5 ,1, a \n2,\t0\t,b\n" },
        { "CR line ends", "time,status\r1,1\r2,0\r" },
        { "tabs, five columns", "a\tb\tc\td\te\n1\t2\t3\t4\t5\n6\t7\tx\t9\t10\n" },
        { "five columns, quotes and labels in the last ones", "a,b,c,d,e\n1,2,3,4,5\n6,7,8,\"9\",ten\n11,12,13, 14 ,NA\n" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Two_threads_read_as_one(string name, string text)
    {
        var path = Write(name, Encoding.UTF8.GetBytes(text));
        AssertSame(path, CsvReadOptions.Default);
    }

    [Fact]
    public void Many_batches_a_cell_longer_than_a_batch_and_kept_columns()
    {
        var builder = new StringBuilder("time,status,arm,note\n");
        var random = new Random(3);
        for (var i = 0; i < 200_000; i++)
        {
            var note = i == 150_000 ? new string('n', 300_000) : i % 7 == 0 ? "\"q, " + i + "\"" : "";
            var arm = i == 190_000 ? "late label" : (i % 3).ToString(CultureInfo.InvariantCulture);
            builder.Append(CultureInfo.InvariantCulture, $"{random.Next(1, 5000) / 100.0},{random.Next(2)},{arm},{note}\n");
            if (i % 1000 == 0)
            {
                builder.Append('\n');
            }
        }

        var path = Write("long", Encoding.UTF8.GetBytes(builder.ToString()));
        AssertSame(path, CsvReadOptions.Default);
        AssertSame(path, CsvReadOptions.Default with { Columns = ["status", "note"] });
        AssertSame(path, CsvReadOptions.Default with { Columns = ["time", "arm", "note"] });
    }

    /// <summary>
    /// Label columns filled on both threads at once, each with many distinct labels (and numbers that keep their text):
    /// each thread's columns pool their labels apart, so neither sees the other's half-made entries.
    /// </summary>
    [Fact]
    public void Labels_interned_on_both_threads_at_once_are_read_as_on_one_thread()
    {
        var builder = new StringBuilder("first,time,second\n");
        for (var i = 0; i < 300_000; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"a{i % 50_000},{i % 1000}.50,b{(i * 7) % 60_000}\n");
        }

        AssertSame(Write("labels-both-threads", Encoding.UTF8.GetBytes(builder.ToString())), CsvReadOptions.Default);
    }

    [Fact]
    public void A_byte_that_is_not_utf8_is_named_as_on_one_thread()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 50_000)) + "3,x\n").ToList();
        bytes.Insert(bytes.Count - 2, 0xE9);
        AssertSame(Write("latin1", [.. bytes]), CsvReadOptions.Default);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(folder, name.Replace(' ', '-') + ".csv");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void AssertSame(string path, CsvReadOptions options)
    {
        var one = Read(path, options, long.MaxValue);
        var two = Read(path, options, 0);
        Assert.Equal(one.Error, two.Error);
        if (one.Table is null)
        {
            return;
        }

        var a = one.Table;
        var b = two.Table!;
        Assert.Equal(a.ColumnNames, b.ColumnNames);
        Assert.Equal(a.RowCount, b.RowCount);
        foreach (var column in a.ColumnNames)
        {
            Assert.Equal(a.KindOf(column), b.KindOf(column));
            Assert.Equal(a.GetText(column), b.GetText(column));
            Assert.Equal(a.GetColumn(column).HasMissing, b.GetColumn(column).HasMissing);
            Assert.Equal(Enumerable.Range(0, a.RowCount).Select(i => a.IsMissing(column, i)), Enumerable.Range(0, b.RowCount).Select(i => b.IsMissing(column, i)));
        }

        Assert.Equal(Enumerable.Range(0, a.RowCount).Select(a.SourceRow), Enumerable.Range(0, b.RowCount).Select(b.SourceRow));
    }

    private static (ColumnTable? Table, string? Error) Read(string path, CsvReadOptions options, long parallelFromBytes)
    {
        try
        {
            return (ColumnTable.ReadCsvFile(path, options, parallelFromBytes), null);
        }
        catch (DataValidationException e)
        {
            return (null, e.Message);
        }
    }
}
