from petclassifier.data import load_dataset


def test_dataset_has_labels(tmp_path):
    dataset = load_dataset(tmp_path)
    assert len(dataset) > 0
