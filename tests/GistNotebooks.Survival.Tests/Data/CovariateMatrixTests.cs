using GistNotebooks.Survival.Data;

namespace GistNotebooks.Survival.Tests.Data;

/// <summary>The weighted column means a fit asks for three times: as computed by hand, and the last answer kept only for the weights it was computed with.</summary>
public sealed class CovariateMatrixTests
{
    [Fact]
    public void Weighted_means_follow_the_weights_they_are_asked_with()
    {
        var matrix = CovariateMatrix.FromColumns(["x", "flag"], [[1.0, 2, 6, 3], [0.0, 1, 1, -1]]);
        double[] weights = [1, 0, 2, 1];

        var plain = matrix.WeightedMeans(null);
        var weighted = matrix.WeightedMeans(weights);
        var plainAgain = matrix.WeightedMeans(null);

        Assert.Equal([3.0, 0.25], plain.Means.ToArray());
        Assert.Equal(4, plain.TotalWeight);

        // Rows of weight 0 are left out of the means: (1·1 + 2·6 + 1·3)/4 and (0 + 2 − 1)/4.
        Assert.Equal([4.0, 0.25], weighted.Means.ToArray());
        Assert.Equal(4, weighted.TotalWeight);
        Assert.Equal([false, true], weighted.IndicatorLike.ToArray());
        Assert.Equal(plain.Means.ToArray(), plainAgain.Means.ToArray());
        Assert.Same(plainAgain, matrix.WeightedMeans(null));
    }
}
