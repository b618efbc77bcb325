#pragma once

#include <QDialog>
#include <memory>

namespace Ui {
class SettingsDialog;
}

// Edits the non-secret preferences (base URL, timeouts, retries, how the window runs a batch: requests at once,
// watching, asking before cancelling; and how it reads the account's jobs: how many, how often). Refuses to close on a
// base URL that would be unsafe or invalid, and says why next to the field.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    explicit SettingsDialog(QWidget* parent = nullptr);
    ~SettingsDialog() override;

    void accept() override;

private:
    std::unique_ptr<Ui::SettingsDialog> m_ui;
};
