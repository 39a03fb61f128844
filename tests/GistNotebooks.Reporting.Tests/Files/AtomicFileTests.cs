using GistNotebooks.Reporting.Files;
using GistNotebooks.Survival.Data;

namespace GistNotebooks.Reporting.Tests.Files;

public sealed class AtomicFileTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("gistnb-atomic-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void Text_is_written_as_UTF8_without_a_byte_order_mark_into_a_folder_it_creates()
    {
        var path = Path.Combine(folder.FullName, "new", "deeper", "table.csv");

        AtomicFile.WriteAllText(path, "time,event\n1.5,1\nKaplan–Meier\n");

        Assert.Equal("time,event\n1.5,1\nKaplan–Meier\n"u8.ToArray(), File.ReadAllBytes(path));
    }

    [Fact]
    public void An_existing_file_is_replaced_whole_and_no_temporary_file_is_left_beside_it()
    {
        var path = Path.Combine(folder.FullName, "claims.json");
        File.WriteAllText(path, "a much longer previous version of the file that must not leave a tail behind\n");

        AtomicFile.WriteAllText(path, "{}\n");

        Assert.Equal("{}\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder.FullName));
    }

    [Fact]
    public void A_path_that_cannot_be_written_is_a_data_validation_error_naming_it_and_nothing_is_left_behind()
    {
        var notAFolder = Path.Combine(folder.FullName, "a-file");
        File.WriteAllText(notAFolder, "not a folder");
        var path = Path.Combine(notAFolder, "report.html");

        var error = Assert.Throws<DataValidationException>(() => AtomicFile.WriteAllText(path, "<html></html>"));

        Assert.StartsWith(path + ": cannot write (", error.Message, StringComparison.Ordinal);
        Assert.Equal([notAFolder], Directory.GetFiles(folder.FullName));
        Assert.Equal("not a folder", File.ReadAllText(notAFolder));
    }
}
